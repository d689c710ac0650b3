"""The demo's comment fragments in French, a few comments in German and Spanish, and the planted
billing and app-crash comments (issue 15: themes with known shares, an emerging theme).

The French fragments mirror the English ones of cx.demo.comments clause for clause (same
attribute, same tone), so a French respondent says what an English one would have said.
"""

from __future__ import annotations

NEG_OPEN = ("", "Franchement, ", "Pas content : ", "Honnêtement, ")
NEG_END = (".", ", merci de corriger.", ". Je pense changer de prestataire.")
NEG = (  # spec.RATINGS order
    ("mon problème n'est toujours pas résolu", "la solution proposée n'a pas fonctionné",
     "j'ai dû rouvrir le ticket deux fois", "personne n'a vraiment réglé le problème"),
    ("le conseiller ne comprenait pas le produit", "j'ai eu trois réponses différentes",
     "le conseiller devait demander à un collègue pour tout",
     "les conseils reçus étaient faux"),
    ("j'ai attendu beaucoup trop longtemps une réponse",
     "la file d'attente a duré plus d'une heure", "personne n'a répondu pendant des jours",
     "la réponse a été très lente"),
    ("impossible de joindre quelqu'un", "je n'ai trouvé aucun moyen de contacter le support",
     "le menu téléphonique est un labyrinthe", "le formulaire de contact ne marchait pas"),
    ("le conseiller était impoli", "je me suis senti méprisé",
     "le ton des réponses était froid", "personne ne semblait s'en soucier"),
    ("le site est confus", "les pages d'aide sont obsolètes",
     "le portail me déconnecte sans arrêt", "je n'ai rien trouvé sur le site"),
)
POS_OPEN = ("", "Super : ", "Merci ! ", "Vraiment ravi, ")
POS_END = (".", ", merci.", ". Continuez comme ça !")
POS = (
    ("mon problème a été résolu du premier coup", "le problème a été réglé sans difficulté",
     "tout fonctionne à nouveau", "la solution était parfaite"),
    ("le conseiller connaissait le produit sur le bout des doigts",
     "j'ai reçu une réponse claire et juste", "le conseiller a tout bien expliqué",
     "support très compétent"),
    ("j'ai eu une réponse en quelques minutes", "aucune attente",
     "la réponse est arrivée très vite", "peu d'attente et aide rapide"),
    ("il a été facile de joindre quelqu'un", "contacter le support était simple",
     "le chat était tout de suite disponible", "obtenir de l'aide n'a demandé aucun effort"),
    ("le conseiller était très aimable", "support gentil et patient",
     "une équipe adorable", "conseiller poli et chaleureux"),
    ("les pages d'aide ont répondu à ma question", "le site est facile à utiliser",
     "j'ai tout trouvé sur le portail", "les guides en libre-service sont excellents"),
)
NEUTRAL = (
    "C'était correct.", "Bien, sans plus.", "Expérience moyenne.", "On y est arrivé au final.",
    "Du bon et du moins bon.", "Ça pourrait aller plus vite mais ça marche.",
    "Service correct dans l'ensemble.", "Ni plainte ni éloge.", "Acceptable, sans plus.",
    "Le travail a été fait.", "Avis partagé.", "Raisonnable, ça a pris du temps.",
    "Réponse correcte, attente longue.", "Comme prévu.", "Pas mal, pas génial.",
    "Support correct.", "Résolu, finalement.", "Satisfaisant.", "Comme d'habitude.",
    "Dans la moyenne.",
)
# Comments in languages without a lexicon: labelled and counted, never scored. Per polarity
# (negative, neutral, positive).
OTHER = {
    "de": (("Der Support hat mir überhaupt nicht geholfen.",
            "Viel zu lange gewartet, sehr enttäuschend."),
           ("Es war in Ordnung, nichts Besonderes.", "Die Antwort kam nach zwei Tagen."),
           ("Sehr freundlicher und schneller Service, vielen Dank!",
            "Alles wurde schnell und gut gelöst.")),
    "es": (("El soporte no me ayudó en absoluto.", "Esperé demasiado tiempo, muy decepcionante."),
           ("Estuvo bien, nada especial.", "La respuesta llegó después de dos días."),
           ("Servicio muy amable y rápido, ¡muchas gracias!",
            "Todo se resolvió rápido y bien.")),
}
# Planted themes, per language and polarity (negative, neutral, positive).
BILLING = {
    "en": (("I was charged twice this month and still have no refund.",
            "My invoice is wrong again.", "The price went up without any warning.",
            "I was billed for a plan I had cancelled."),
           ("I had a question about my invoice.", "Nothing to say about the billing."),
           ("Clear invoice and a fair price.", "The refund was processed without any fuss.")),
    "fr": (("J'ai été prélevé deux fois ce mois-ci et toujours aucun remboursement.",
            "Ma facture est encore fausse.", "Le prix a augmenté sans prévenir.",
            "On m'a facturé un abonnement que j'avais résilié."),
           ("J'avais une question sur ma facture.", "Rien à dire sur la facturation."),
           ("Facture claire et prix honnête.", "Le remboursement a été fait sans difficulté.")),
}
CRASH = {
    "en": (("The app keeps crashing since the last update.",
            "The mobile app crashes every time I open it.",
            "The app crashed in the middle of a payment."),
           ("The app crashed once, otherwise nothing to report.",),
           ("Great team, even if the app crashed once.",)),
    "fr": (("L'application plante depuis la dernière mise à jour.",
            "L'appli plante à chaque ouverture.",
            "L'application a planté en plein paiement."),
           ("L'application a planté une fois, sinon rien à signaler.",),
           ("Super équipe, même si l'application a planté une fois.",)),
}
