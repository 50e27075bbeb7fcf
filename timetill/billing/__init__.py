"""The billing core: the rules every document shares (VAT, gapless numbers, document lines, the seller)."""
