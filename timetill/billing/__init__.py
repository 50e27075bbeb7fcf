"""The billing core: the money rules every document shares (VAT, gapless numbers, lines, frozen copies, seller)."""
