"""The entity's own data as the services hand it out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EntityProfileDTO:
    id: str
    name: str
    tax_id: str = ""
    address: str = ""
    logo: bytes | None = None
    default_lang: str = "ca"
    region: str = "CT"
    privacy_controller: str = ""
    privacy_purpose: str = ""
    privacy_legal_basis: str = ""
    privacy_recipients: str = ""
    privacy_rights_contact: str = ""

    def privacy_notice(self) -> dict[str, str]:
        return {
            "controller": self.privacy_controller or self.name,
            "purpose": self.privacy_purpose,
            "legal_basis": self.privacy_legal_basis,
            "recipients": self.privacy_recipients,
            "rights_contact": self.privacy_rights_contact,
        }


@dataclass(frozen=True)
class StaffDTO:
    id: str
    name: str
    role: str = ""
    email: str = ""
    active: bool = True


@dataclass(frozen=True)
class PlaceDTO:
    id: str
    name: str
    address: str = ""


@dataclass(frozen=True)
class FunderDTO:
    id: str
    name: str
    support_text: str = ""
    logo: bytes | None = None


@dataclass(frozen=True)
class CategoryDTO:
    code: str
    name_ca: str
    name_es: str
    active: bool = True

    def label(self, lang: str) -> str:
        return self.name_es if lang == "es" else self.name_ca
