"""What every screen needs: the services, who is signed in, and the background runner."""

from __future__ import annotations

from dataclasses import dataclass

from callcenter.bootstrap import Database
from callcenter.config import Settings
from callcenter.domain.users import Actor, User
from callcenter.services.call_history import CallHistoryService
from callcenter.services.call_log import CallLogService
from callcenter.services.customers import CustomerService
from callcenter.services.lookup import LookupService


@dataclass
class AppContext:
    settings: Settings
    database: Database
    actor: Actor
    user: User | None = None

    @property
    def customers(self) -> CustomerService:
        return CustomerService(self.database, self.settings.default_region)

    @property
    def call_history(self) -> CallHistoryService:
        return CallHistoryService(self.database)

    @property
    def lookup(self) -> LookupService:
        return LookupService(
            self.database, self.settings.default_region, self.settings.outside_line_prefix
        )

    @property
    def call_log(self) -> CallLogService:
        return CallLogService(self.database, self.settings.callback_close_on_inbound)
