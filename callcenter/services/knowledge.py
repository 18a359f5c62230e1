"""The knowledge base of known problems and their solutions, searched from a complaint."""

from __future__ import annotations

from collections.abc import Sequence

from callcenter.bootstrap import Database
from callcenter.domain.complaints import KbArticle
from callcenter.domain.users import Actor
from callcenter.repositories.complaint_knowledge import KnowledgeRepository


class KnowledgeService:
    def __init__(self, database: Database) -> None:
        self._database = database

    def search(
        self, actor: Actor, text: str, category_id: int | None = None, limit: int = 20
    ) -> list[KbArticle]:
        """Articles holding every word of `text` (all of them for empty text); those for
        the category first."""
        with self._database.uow(actor) as uow:
            return KnowledgeRepository(uow.session, actor).search(text, category_id, limit)

    def get(self, actor: Actor, article_id: int) -> KbArticle:
        with self._database.uow(actor) as uow:
            return KnowledgeRepository(uow.session, actor).get(article_id)

    def add(
        self,
        actor: Actor,
        title: str,
        problem: str,
        solution: str,
        category_ids: Sequence[int] = (),
    ) -> KbArticle:
        with self._database.uow(actor) as uow:
            repo = KnowledgeRepository(uow.session, actor)
            article_id = repo.save(title, problem, solution, category_ids)
            article = repo.get(article_id)
            uow.commit()
        return article

    def update(
        self,
        actor: Actor,
        article_id: int,
        version: int,
        title: str,
        problem: str,
        solution: str,
        category_ids: Sequence[int] = (),
    ) -> KbArticle:
        """Change an article still at `version` (ConflictError if someone saved it since)."""
        with self._database.uow(actor) as uow:
            repo = KnowledgeRepository(uow.session, actor)
            repo.save(title, problem, solution, category_ids, article_id, version)
            article = repo.get(article_id)
            uow.commit()
        return article
