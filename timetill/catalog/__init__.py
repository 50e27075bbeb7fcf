"""Products (simple, price ladder, time, Daily Time), their VAT and price basis, and stored tariffs."""
