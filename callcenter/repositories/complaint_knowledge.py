"""Knowledge-base articles: known problems, their solutions, and the categories they fit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import Session

from callcenter.db.tables_complaints import ComplaintCategory, KbArticleCategory, KbArticleRow
from callcenter.domain.complaints import ComplaintInvalid, KbArticle
from callcenter.domain.errors import ConflictError, NotFound
from callcenter.domain.users import Actor
from callcenter.repositories.complaint_lists import like_pattern
from callcenter.repositories.stamps import creation_stamp


class KnowledgeRepository:
    def __init__(self, session: Session, actor: Actor) -> None:
        self._session = session
        self._actor = actor

    def search(self, text: str, category_id: int | None, limit: int) -> list[KbArticle]:
        """Active articles holding every word of `text` in title, problem or solution; those
        linked to the category (or its parent) first, then by title."""
        statement = select(KbArticleRow).where(KbArticleRow.active)
        for word in text.split():
            pattern = like_pattern(word)
            statement = statement.where(
                or_(
                    *(
                        column.ilike(pattern, escape="\\")
                        for column in (
                            KbArticleRow.title,
                            KbArticleRow.problem,
                            KbArticleRow.solution,
                        )
                    )
                )
            )
        rows = list(self._session.scalars(statement.order_by(KbArticleRow.title, KbArticleRow.id)))
        links = self._links([row.id for row in rows])
        wanted = self._family(category_id)
        rows.sort(key=lambda row: not (wanted and wanted & set(links.get(row.id, ()))))
        return [self._to_domain(row, links.get(row.id, ())) for row in rows[:limit]]

    def _family(self, category_id: int | None) -> set[int]:
        if category_id is None:
            return set()
        row = self._session.get(ComplaintCategory, category_id)
        if row is None:
            return set()
        return {row.id} | ({row.parent_id} if row.parent_id else set())

    def _links(self, ids: Sequence[int]) -> dict[int, list[int]]:
        links: dict[int, list[int]] = {}
        if not ids:
            return links
        for article_id, category_id in self._session.execute(
            select(KbArticleCategory.article_id, KbArticleCategory.category_id)
            .where(KbArticleCategory.article_id.in_(ids))
            .order_by(KbArticleCategory.category_id)
        ):
            links.setdefault(article_id, []).append(category_id)
        return links

    def get(self, article_id: int) -> KbArticle:
        row = self._session.get(KbArticleRow, article_id)
        if row is None:
            raise NotFound(f"knowledge-base article {article_id} does not exist")
        return self._to_domain(row, self._links([row.id]).get(row.id, ()))

    def save(
        self,
        title: str,
        problem: str,
        solution: str,
        category_ids: Sequence[int],
        article_id: int | None = None,
        version: int | None = None,
    ) -> int:
        """Add an article, or change one still at `version`; its id."""
        for field, value in (("title", title), ("problem", problem), ("solution", solution)):
            if not value.strip():
                raise ComplaintInvalid(field, "must not be empty")
        if len(title) > 300:
            raise ComplaintInvalid("title", "is longer than 300 characters")
        for category_id in category_ids:
            if self._session.get(ComplaintCategory, category_id) is None:
                raise ComplaintInvalid("category", f"there is no category {category_id}")
        if article_id is None:
            row = KbArticleRow(
                title=title.strip(),
                problem=problem,
                solution=solution,
                active=True,
                **creation_stamp(self._actor),
            )
            self._session.add(row)
        else:
            found = self._session.get(KbArticleRow, article_id)
            if found is None:
                raise NotFound(f"knowledge-base article {article_id} does not exist")
            if version is not None and found.version != version:
                raise ConflictError("Someone else changed this article; reload it.")
            row = found
            row.title, row.problem, row.solution = title.strip(), problem, solution
            row.updated_by = self._actor.login
        self._session.flush()
        self._session.execute(
            delete(KbArticleCategory).where(KbArticleCategory.article_id == row.id)
        )
        if category_ids:
            self._session.execute(
                insert(KbArticleCategory),
                [{"article_id": row.id, "category_id": c} for c in sorted(set(category_ids))],
            )
        return row.id

    def _to_domain(self, row: KbArticleRow, category_ids: Sequence[int]) -> KbArticle:
        return KbArticle(
            id=row.id,
            title=row.title,
            problem=row.problem,
            solution=row.solution,
            category_ids=tuple(category_ids),
            active=row.active,
            version=row.version,
            updated_at=row.updated_at,
        )
