"""Password resets and invitations: single-use links, stored hashed, sent by mail."""
