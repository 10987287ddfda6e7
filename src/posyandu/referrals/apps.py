from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "posyandu.referrals"
    label = "referrals"
