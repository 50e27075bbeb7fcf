"""`python -m timetill.pricing quote …` prices a stay; `… schema` prints the tariff JSON Schema."""

import sys

from .cli import main
from .schema import schema_json

if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["schema"]:
        sys.stdout.write(schema_json())
        sys.exit(0)
    if args[:1] == ["quote"]:
        sys.exit(main(args[1:]))
    sys.stderr.write("usage: python -m timetill.pricing {quote …|schema}\n")
    sys.exit(2)
