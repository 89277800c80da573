"""Who may reach a document (house style 4). "Not yours" and "does not exist" are both 404.

A vault document may be read by its owner, by someone with an active mandate for the
owner, or by whoever a registered rule allows. The applications app registers the rule
"an officer of an agency whose application uses this document":

    from satupintu.documents.access import register_document_access_rule

    @register_document_access_rule
    def _officers_of_applications(user, document) -> bool:
        ...  # True when `user` may read `document` for an application in their scope

It may also register `register_document_in_use_check(fn)` so that deleting a document
from the vault keeps the file an application still refers to.
"""

from __future__ import annotations

from collections.abc import Callable

from satupintu.core.errors import NotFound
from satupintu.documents.models import IssuedDocument, VaultDocument
from satupintu.identity.access import agency_scope, is_officer, persons_actor_may_act_for

AccessRule = Callable[[object, VaultDocument], bool]
_access_rules: list[AccessRule] = []
_in_use_checks: list[Callable[[VaultDocument], bool]] = []


def register_document_access_rule(fn: AccessRule) -> AccessRule:
    """Add a rule `fn(user, document) -> bool` that can grant read access to a vault document."""
    if fn not in _access_rules:
        _access_rules.append(fn)
    return fn


def register_document_in_use_check(fn: Callable[[VaultDocument], bool]) -> Callable[[VaultDocument], bool]:
    if fn not in _in_use_checks:
        _in_use_checks.append(fn)
    return fn


def document_in_use(document: VaultDocument) -> bool:
    return any(check(document) for check in _in_use_checks)


def may_manage_vault_of(user, person_id: int) -> bool:
    """Owner or mandate holder: may list, upload, replace and delete."""
    return person_id in persons_actor_may_act_for(user)


def may_read_vault_document(user, document: VaultDocument) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if document.status != VaultDocument.Status.DELETED and may_manage_vault_of(user, document.owner_id):
        return True
    return any(rule(user, document) for rule in _access_rules)


def access_vault_document(user, code, *, manage: bool = False) -> VaultDocument:
    """The vault document `code` if `user` may read it (or manage it, for writes)."""
    document = VaultDocument.objects.select_related("owner").filter(code=code).first()
    if document is None:
        raise NotFound()
    if manage:
        if document.status != VaultDocument.Status.ACTIVE or not may_manage_vault_of(user, document.owner_id):
            raise NotFound()
    elif not may_read_vault_document(user, document):
        raise NotFound()
    return document


def may_read_issued_document(user, document: IssuedDocument) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if document.holder_id and document.holder_id in persons_actor_may_act_for(user):
        return True
    if is_officer(user):
        return IssuedDocument.objects.filter(pk=document.pk).filter(agency_scope(user)).exists()
    return False


def access_issued_document(user, code) -> IssuedDocument:
    document = IssuedDocument.objects.select_related("mall", "agency").filter(code=code).first()
    if document is None or not may_read_issued_document(user, document):
        raise NotFound()
    return document
