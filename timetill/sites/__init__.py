"""Sites (time zone, currency, capacity, scan policy) and the devices that scan at them."""
