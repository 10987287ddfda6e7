"""Pages of the posyandu day: `days` (list, day, check-in, closing) and the visit's steps
(`steps` for measuring, results and counselling; `serve` for services and referral)."""
