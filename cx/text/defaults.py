"""The theme dictionary a new database starts with: common customer-service themes, EN and FR.

Terms are matched on lemmas (cx.text.themes), so one form per word is enough; where the lemma
table maps a noun and its verb apart ("delivery" / "deliver", "livraison" / "livrer"), both are
listed. A CX team edits this on the Verbatims page or with `python -m cx text themes`; the
edits are kept as history in `theme_terms`, this table is only the first version.
"""

from __future__ import annotations

DEFAULT_THEMES: dict[str, dict[str, tuple[str, ...]]] = {
    "resolution": {
        "en": ("fix", "solve", "resolve", "solution", "reopen", "unresolved", "work again",
               "still broken", "did not work", "sorted out"),
        "fr": ("résoudre", "résolu", "solution", "réparer", "régler", "rouvrir", "réouvrir",
               "fonctionne à nouveau", "toujours pas réglé", "dépanner"),
    },
    "agent knowledge": {
        "en": ("knowledge", "knowledgeable", "understand", "expert", "expertise", "advice",
               "competent", "incompetent", "explain", "know the product",
               "different answers", "correct answer", "clear answer", "ask a colleague"),
        "fr": ("compétent", "incompétent", "compétence", "comprendre", "expert", "conseil",
               "expliquer", "connaître le produit", "réponses différentes",
               "réponse claire", "demander à un collègue"),
    },
    "wait time": {
        "en": ("wait", "waiting", "queue", "slow", "fast", "quick", "delay", "on hold",
               "response time", "within minutes", "for days", "took ages"),
        "fr": ("attendre", "attente", "file d'attente", "lent", "lenteur", "rapide",
               "rapidement", "vite", "délai", "en quelques minutes", "pendant des jours"),
    },
    "ease of contact": {
        "en": ("reach", "contact", "get through", "phone menu", "contact form", "hotline",
               "call back", "get hold of", "no effort", "get help", "chat"),
        "fr": ("joindre", "contacter", "contact", "menu téléphonique", "formulaire de contact",
               "standard", "rappeler", "sans effort", "obtenir de l'aide", "chat"),
    },
    "friendliness": {
        "en": ("rude", "friendly", "unfriendly", "polite", "impolite", "kind", "patient",
               "tone", "care", "warm", "lovely", "courteous", "brush off", "attitude"),
        "fr": ("impoli", "aimable", "désagréable", "poli", "gentil", "patient", "ton",
               "chaleureux", "accueil", "courtois", "sympathique", "adorable", "mépris",
               "mépriser", "soucier"),
    },
    "website": {
        "en": ("website", "site", "portal", "help page", "help pages", "online", "self-service",
               "guide", "faq", "log out", "logging me out"),
        "fr": ("site", "site web", "portail", "page d'aide", "pages d'aide", "en ligne",
               "libre-service", "guide", "faq", "déconnecter"),
    },
    "billing": {
        "en": ("invoice", "bill", "billing", "charge", "overcharge", "refund", "price",
               "payment", "fee", "subscription", "double charged"),
        "fr": ("facture", "facturation", "facturer", "prélèvement", "prélever", "rembourser",
               "remboursement", "prix", "paiement", "frais", "abonnement"),
    },
    "delivery": {
        "en": ("delivery", "deliver", "shipping", "ship", "parcel", "package", "courier",
               "tracking"),
        "fr": ("livraison", "livrer", "colis", "expédition", "expédier", "transporteur",
               "suivi du colis"),
    },
    "app crashes": {
        "en": ("crash", "crashing", "freeze", "frozen", "bug", "outage", "glitch",
               "error message", "stopped working"),
        "fr": ("planter", "plante", "bug", "bogue", "panne", "crash", "message d'erreur",
               "se fige", "ne marche plus"),
    },
}
