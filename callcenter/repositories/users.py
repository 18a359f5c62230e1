"""Users and teams."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from callcenter.db.tables import Team as TeamRow
from callcenter.db.tables import User as UserRow
from callcenter.domain.errors import NotFound, ValidationError
from callcenter.domain.users import Actor, Role, User
from callcenter.repositories.audit import AuditRepository
from callcenter.repositories.stamps import creation_stamp


class UserRepository:
    def __init__(self, session: Session, actor: Actor, audit: AuditRepository) -> None:
        self._session = session
        self._actor = actor
        self._audit = audit

    def add(
        self,
        login: str,
        display_name: str,
        role: Role,
        team: str | None = None,
        extension: str | None = None,
        password_hash: str | None = None,
    ) -> User:
        if self._row(login) is not None:
            raise ValidationError("login", f"a user called {login!r} already exists")
        row = UserRow(
            login=login,
            display_name=display_name,
            role=role.value,
            team_id=self._team_id(team) if team else None,
            extension=extension,
            active=True,
            password_hash=password_hash,
            **creation_stamp(self._actor),
        )
        self._session.add(row)
        self._session.flush()
        self._audit.record(
            "user", row.id, "create", {"login": [None, login], "role": [None, role.value]}
        )
        return self._to_domain(row)

    def get(self, login: str) -> User:
        return self._to_domain(self._require(login))

    def find(self, login: str) -> User | None:
        row = self._row(login)
        return self._to_domain(row) if row else None

    def password_hash(self, login: str) -> str | None:
        row = self._row(login)
        return row.password_hash if row else None

    def list(self, include_inactive: bool = True) -> list[User]:
        statement = select(UserRow).order_by(UserRow.login)
        if not include_inactive:
            statement = statement.where(UserRow.active.is_(True))
        return [self._to_domain(row) for row in self._session.scalars(statement)]

    def set_active(self, login: str, active: bool) -> User:
        row = self._require(login)
        if row.active != active:
            row.active = active
            row.updated_by = self._actor.login
            self._session.flush()
            self._audit.record("user", row.id, "update", {"active": [not active, active]})
        return self._to_domain(row)

    def set_password_hash(self, login: str, password_hash: str | None) -> None:
        row = self._require(login)
        row.password_hash = password_hash
        row.updated_by = self._actor.login
        self._session.flush()
        # The audit says that it changed, never what it changed to.
        self._audit.record("user", row.id, "password", {})

    def _row(self, login: str) -> UserRow | None:
        return self._session.scalar(select(UserRow).where(UserRow.login == login))

    def _require(self, login: str) -> UserRow:
        row = self._row(login)
        if row is None:
            raise NotFound(f"no user called {login!r}")
        return row

    def _team_id(self, name: str) -> int:
        team = self._session.scalar(select(TeamRow).where(TeamRow.name == name))
        if team is None:
            team = TeamRow(name=name, **creation_stamp(self._actor))
            self._session.add(team)
            self._session.flush()
        return team.id

    def _to_domain(self, row: UserRow) -> User:
        team = self._session.get(TeamRow, row.team_id) if row.team_id else None
        return User(
            id=row.id,
            login=row.login,
            display_name=row.display_name,
            role=Role(row.role),
            team=team.name if team else None,
            extension=row.extension,
            active=row.active,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
