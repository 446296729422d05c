"""Credit service: penalties and disclosure, credit files and levels, the dishonesty list."""
