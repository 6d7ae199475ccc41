#!/usr/bin/env python3
"""Differential test of flow_rt's decimals against Python's `decimal` module.

Generates cases with a fixed seed (parse and format, + - * / %, round,
floor, ceil, comparison, min/max, negation, abs and the int and float
conversions; ties,
34- and 35-digit coefficients, zeros of both signs and exponents at the
edges of decimal128 on purpose), computes each expected result with Python
in Flow's context, and feeds them to the checker binary
(decimal_differential.cpp), which runs flow_rt on every case and fails on
any disagreement.

    decimal_differential.py CHECKER [--count N] [--seed S] [--write FILE]

--write also saves the cases (one per line) for a look or a rerun by hand:
`CHECKER < FILE`.
"""
import argparse
import math
import random
import re
import subprocess
import sys
from decimal import (Context, Decimal, DivisionByZero, Inexact, InvalidOperation, Overflow, Rounded,
                     ROUND_HALF_EVEN, localcontext)

# Flow's context (docs/evaluation.md): decimal128.
FLOW = dict(prec=34, rounding=ROUND_HALF_EVEN, Emax=6144, Emin=-6143, clamp=1)
ARITH = Context(**FLOW, traps=[InvalidOperation, DivisionByZero, Overflow])
# Parsing never rounds: Rounded and Inexact are errors too.
STRICT = Context(**FLOW, traps=[InvalidOperation, DivisionByZero, Overflow, Rounded, Inexact])
SYNTAX = re.compile(r'[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\Z')
ETINY, ETOP, EMAX = -6176, 6111, 6144
INT64 = 2**63


def parse(text):
    """Flow's parse in Python terms: the syntax, then the strict context."""
    if not SYNTAX.match(text):
        return None
    try:
        return STRICT.create_decimal(text)
    except (InvalidOperation, Overflow, Rounded, Inexact):
        return None


def arith(op, a, b):
    if op in ('div', 'rem') and b == 0:
        return '!div0'  # 0 / 0 and x % 0 too, which Python calls InvalidOperation
    fn = {'add': ARITH.add, 'sub': ARITH.subtract, 'mul': ARITH.multiply, 'div': ARITH.divide,
          'rem': ARITH.remainder}[op]
    try:
        return str(fn(a, b))
    except Overflow:
        return '!overflow'
    except InvalidOperation:
        return '!invalid'  # rem: an integer quotient of more than 34 digits (DivisionImpossible)


def flow_floor_ceil(op, d):
    v = math.floor(d) if op == 'floor' else math.ceil(d)
    return str(v) if -INT64 <= v < INT64 else '!invalid'


def flow_round(d, n):
    if not -ETOP <= n <= -ETINY:
        return '!invalid'  # outside the exponents decimal128 encodes (flow_rt_decimal.h)
    with localcontext(ARITH):
        try:
            return str(d.quantize(Decimal(1).scaleb(-n), ROUND_HALF_EVEN))
        except InvalidOperation:
            return '!invalid'


def flow_to_int(d):
    if d != d.to_integral_value() or not -INT64 <= int(d) < INT64:
        return '!invalid'
    return str(int(d))


def flow_from_float(f):
    """decimal(f): the shortest round-trip digits; exponent 0 for integers of at most 34 digits."""
    sign, digits, exp = Decimal(repr(f)).normalize(ARITH).as_tuple()
    if digits == (0,):
        return str(Decimal((sign, (0,), 0)))
    if exp > 0 and len(digits) + exp <= 34:
        digits, exp = digits + (0,) * exp, 0
    return str(Decimal((sign, digits, exp)))


class Gen:
    def __init__(self, rng):
        self.r = rng

    def digits(self, n):
        if n <= 0:
            return '0'
        return str(self.r.randrange(10**(n - 1), 10**n))

    def render(self, sign, digits, exp):
        """A text of the value digits × 10^exp in one of the spellings Flow accepts."""
        r = self.r
        s = sign
        if s == '' and r.random() < 0.05:
            s = '+'
        form = r.random()
        if form < 0.45:
            return sign + str(Decimal(f'{digits}E{exp}'))  # Python's own spelling
        if form < 0.65:
            return s + digits + r.choice('eE') + r.choice(['', '+'] if exp >= 0 else ['']) + str(exp)
        if exp >= 0:
            return s + digits + ('E+' + str(exp) if exp else '')
        # Plain point notation, sometimes with leading zeros or an extra exponent.
        k = len(digits) + exp
        if k > 0:
            text = digits[:k] + '.' + digits[k:]
        elif -k < 40:
            text = '0.' + '0' * -k + digits
        else:
            return s + digits + 'E' + str(exp)
        if r.random() < 0.1:
            text = '0' * r.randint(1, 3) + text
        return s + text

    def decimal_text(self):
        """An operand text; most are valid, some sit just past the limits."""
        r = self.r
        sign = '-' if r.random() < 0.4 else ''
        kind = r.random()
        if kind < 0.25:  # money-like
            n, exp = r.randint(1, 12), r.randint(-4, 0)
        elif kind < 0.50:  # any precision, moderate exponents
            n, exp = r.randint(1, 34), r.randint(-40, 40)
        elif kind < 0.58:  # exactly 34 digits
            n, exp = 34, r.randint(-60, 30)
        elif kind < 0.68:  # the edges of the exponent range
            n = r.randint(1, 34)
            edge = r.choice(['tiny', 'top', 'max'])
            if edge == 'tiny':
                exp = ETINY + r.randint(0, 40)
            elif edge == 'top':
                exp = ETOP - r.randint(0, 40)
            else:
                exp = EMAX - n + 1 - r.randint(0, 5)
        elif kind < 0.78:  # zeros
            exp = r.choice([0, 0, -1, -2, r.randint(-30, 30), ETINY, ETOP, r.randint(-7000, 7000)])
            return self.render(sign, '0' * r.randint(1, 3), exp)
        elif kind < 0.86:  # patterns: nines, powers of ten, fives
            n = r.randint(1, 34)
            digits = r.choice(['9' * n, '1' + '0' * (n - 1), self.digits(n - 1) + '5' if n > 1 else '5'])
            return self.render(sign, digits, r.randint(-40, 40))
        elif kind < 0.94:  # integers
            return sign + self.digits(r.randint(1, 20))
        else:  # just past a limit: 35 digits, exponents one step too far
            n = r.choice([34, 35, 35, 36])
            exp = r.choice([r.randint(-10, 10), ETINY - 1, ETINY, EMAX - n + 1, EMAX - n + 2])
            return self.render(sign, self.digits(n), exp)
        return self.render(sign, self.digits(n), exp)

    def operand(self):
        while True:
            t = self.decimal_text()
            d = parse(t)
            if d is not None:
                return t, d

    def tie_pair(self, op):
        """Operands whose exact result ends in a 5 just past the 34th digit."""
        r = self.r
        big = self.digits(34)
        if op == 'add':
            return big, r.choice(['0.5', '-0.5', '0.50', '0.05', '5E-1'])
        if op == 'sub':
            return big, r.choice(['0.5', '-0.5', '0.500'])
        if op == 'mul':
            return big, r.choice(['5', '0.5', '1.5', '2.5', '-5', '25'])
        a = str(r.randint(2 * 10**33, 10**34 - 1) | 1)  # odd, so a / 2 ends in .5
        return a + r.choice(['', 'E-5', 'E+7']), r.choice(['2', '0.2', '20', '-2', '2.0'])

    def case(self, op):
        r = self.r
        if op == 'parse':
            roll = r.random()
            if roll < 0.8:
                t = self.decimal_text()
            elif roll < 0.9:
                t = r.choice(['NaN', 'Infinity', '-inf', '1e', 'e5', '.', '-', '+', '1..2', '1.2.3', '--1',
                              '1e+-5', '0x10', '1,5', '١٢', 'sNaN', '1_000', '12.50d', '.e1', '5.e'])
            else:  # 34 vs 35 digits, leading and trailing zeros
                n = r.choice([33, 34, 35])
                body = self.digits(n)
                t = r.choice([body, '0' * r.randint(1, 5) + body, body[:1] + '.' + body[1:],
                              '0.' + '0' * r.randint(0, 5) + body, body + '0', body[:-1] + '.0'])
            d = parse(t)
            return f'parse {t} {"!error" if d is None else str(d)}'
        if op == 'rem':
            if r.random() < 0.5:  # quotients that fit: money-like operands
                ta = ('-' if r.random() < 0.4 else '') + self.digits(r.randint(1, 12)) + 'E' + str(r.randint(-4, 2))
                tb = ('-' if r.random() < 0.4 else '') + self.digits(r.randint(1, 6)) + 'E' + str(r.randint(-4, 0))
                da, db = parse(ta), parse(tb)
            else:
                (ta, da), (tb, db) = self.operand(), self.operand()
            if r.random() < 0.05:
                tb, db = r.choice(['0', '-0', '0.00', '0E+5']), Decimal(0)
            return f'rem {ta} {tb} {arith(op, da, db)}'
        if op in ('floor', 'ceil'):
            if r.random() < 0.4:  # near the int64 edges and halves
                v = r.choice([INT64 - 1, -INT64, INT64, -INT64 - 1, r.randint(-10**6, 10**6)])
                ta = str(v) + r.choice(['', '.0', '.5', '.01', '.99', '.000'])
                da = parse(ta)
                if da is None:
                    return self.case(op)
            else:
                ta, da = self.operand()
            return f'{op} {ta} {flow_floor_ceil(op, da)}'
        if op in ('add', 'sub', 'mul', 'div'):
            if r.random() < 0.15:
                ta, tb = self.tie_pair(op)
                da, db = parse(ta), parse(tb)
            else:
                (ta, da), (tb, db) = self.operand(), self.operand()
                if op == 'div' and r.random() < 0.05:
                    tb, db = r.choice(['0', '-0', '0.00', '0E+5']), Decimal(0)
            return f'{op} {ta} {tb} {arith(op, da, db)}'
        if op == 'round':
            if r.random() < 0.3:  # a tie at the rounding digit: k.5 × 10^-n
                n = r.randint(-10, 30)
                k = self.digits(r.randint(1, 20))
                ta = ('-' if r.random() < 0.5 else '') + k + '5' + '0' * r.randint(0, 2)
                ta += f'E{-(n + 1) - (len(ta) - len(ta.rstrip("0")))}'
                da = parse(ta)
                if da is None:
                    return self.case(op)
            else:
                ta, da = self.operand()
                n = r.choice([r.randint(-5, 10), r.randint(-40, 40), r.randint(-6200, 6200),
                              r.choice([-ETOP - 1, -ETOP, -ETINY, -ETINY + 1])])
            return f'round {ta} {n} {flow_round(da, n)}'
        if op in ('cmp', 'min', 'max'):
            ta, da = self.operand()
            roll = r.random()
            if roll < 0.3:  # the same value in another cohort
                sign, digits, exp = da.as_tuple()
                extra = r.randint(0, max(0, 34 - len(digits)))
                db = Decimal((sign if r.random() < 0.8 else 1 - sign, digits + (0,) * extra, exp - extra))
                tb = str(db)
                if parse(tb) is None:
                    tb, db = ta, da
            elif roll < 0.4:  # neighbours
                tb, db = ta, ARITH.next_toward(da, Decimal(r.choice([1, -1])))
                tb = str(db)
            else:
                tb, db = self.operand()
            if op == 'cmp':
                expected = (da > db) - (da < db)
            else:
                expected = str(min(da, db) if op == 'min' else max(da, db))
            return f'{op} {ta} {tb} {expected}'
        if op in ('neg', 'abs'):
            ta, da = self.operand()
            return f'{op} {ta} {str(ARITH.minus(da) if op == "neg" else ARITH.abs(da))}'
        if op == 'toint':
            if r.random() < 0.5:
                v = r.choice([r.randint(-INT64, INT64 - 1), r.randint(-10**6, 10**6), INT64 - 1, -INT64,
                              INT64, -INT64 - 1])
                places = r.randint(0, 10)
                ta = str(v) + ('.' + '0' * places if places else '')
                if r.random() < 0.3:
                    ta += '.5' if places == 0 else '1'
                da = parse(ta)
                if da is None:
                    return self.case(op)
            else:
                ta, da = self.operand()
            return f'toint {ta} {flow_to_int(da)}'
        if op == 'fromint':
            v = r.choice([r.randint(-INT64, INT64 - 1), r.randint(-1000, 1000), INT64 - 1, -INT64, 0])
            return f'fromint {v} {Decimal(v)}'
        if op == 'tofloat':
            ta, da = self.operand()
            return f'tofloat {ta} {float(da).hex()}'
        if op == 'fromfloat':
            roll = r.random()
            if roll < 0.4:
                f = r.uniform(-1e6, 1e6)
            elif roll < 0.6:
                f = float(r.randint(-10**6, 10**6)) / r.choice([1, 10, 100, 1000])
            elif roll < 0.9:
                f = r.choice([1, -1]) * r.random() * 10.0**r.randint(-330, 308)
            else:
                f = r.choice([0.0, -0.0, 0.1, 0.2, 0.3, 1e15, 1e16, 1e22, 1e23, 5e-324, 1.7976931348623157e308,
                              2.0**53, 123456789012345678.0, float('inf'), float('nan'), -float('inf')])
            if f != f or f in (float('inf'), -float('inf')):
                return f'fromfloat {f.hex()} !invalid'
            return f'fromfloat {f.hex()} {flow_from_float(f)}'
        raise ValueError(op)


# Operations and their share of the cases.
WEIGHTS = {'parse': 12, 'add': 12, 'sub': 8, 'mul': 12, 'div': 14, 'rem': 8, 'round': 12, 'cmp': 8, 'min': 3,
           'max': 3, 'neg': 3, 'abs': 2, 'toint': 4, 'floor': 3, 'ceil': 3, 'fromint': 2, 'tofloat': 5,
           'fromfloat': 5}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('checker')
    ap.add_argument('--count', type=int, default=120000)
    ap.add_argument('--seed', type=int, default=17)
    ap.add_argument('--write', metavar='FILE')
    args = ap.parse_args()
    gen = Gen(random.Random(args.seed))
    ops = list(WEIGHTS)
    weights = [WEIGHTS[o] for o in ops]
    lines = [gen.case(op) for op in gen.r.choices(ops, weights, k=args.count)]
    data = '\n'.join(lines) + '\n'
    if args.write:
        with open(args.write, 'w') as f:
            f.write(data)
    done = subprocess.run([args.checker], input=data, text=True)
    return done.returncode


if __name__ == '__main__':
    sys.exit(main())
