-- The addresses and CIDR ranges a token may be used from, as the console shows them
-- ("10.0.0.0/8, 2001:db8::1"); NULL: any address.
ALTER TABLE api_tokens ADD COLUMN allowed_addresses TEXT;
