# Why an access was refused: shown to the person asking (on pages and in API problems).
# Ids are deny- and the reason's code.

deny-no-basis = Du har ikkje fullmakt, verjemål eller foreldreansvar for denne personen.
deny-own-data = Dette er dine eigne opplysningar: sjå dei under /me.
deny-not-yet-valid = Fullmakta gjeld ikkje enno.
deny-expired = Fullmakta har gått ut.
deny-revoked = Fullmakta er trekt tilbake.
deny-came-of-age = Foreldreansvaret tok slutt då barnet vart myndig.
deny-action-not-granted = Fullmakta gir ikkje lov til denne handlinga.
deny-no-consent = Personen er ikkje spurd om samtykke til å dele desse opplysningane med dykk.
deny-consent-pending = Personen har ikkje svart på samtykkeførespurnaden enno.
deny-consent-declined = Personen avslo samtykkeførespurnaden.
deny-consent-revoked = Personen har trekt samtykket tilbake.
deny-consent-expired = Samtykket har gått ut.
deny-category-not-covered = Samtykket dekkjer ikkje denne typen opplysningar.
deny-giver-too-young = Du må vere minst { $min } år for å gi fullmakt.
deny-representative-too-young = Den som får fullmakt, må vere minst { $min } år.
deny-mandate-to-self = Du kan ikkje gi fullmakt til deg sjølv.
deny-no-scopes = Vel minst eitt område eller éi teneste som fullmakta gjeld.
deny-no-actions = Vel minst éi handling (sjå eller handle).
deny-bad-period = Sluttdatoen må vere etter startdatoen og fram i tid.
deny-no-support-scope = Tokenet manglar tilgangen til brukarstøtteoppslag.
deny-no-purpose = Oppgi formål og rettsleg grunnlag for oppslaget.
deny-out-of-scope = Fullmakta dekkjer ikkje området eller tenesta dette gjeld.
deny-basis-unknown = Det finst ikkje noko delingsgrunnlag med denne id-en for dykk.
deny-basis-not-accepted = Etaten som har opplysningane, har ikkje godteke delingsgrunnlaget.
deny-basis-revoked = Delingsgrunnlaget er trekt tilbake.
deny-basis-not-yet-valid = Delingsgrunnlaget gjeld ikkje enno.
deny-basis-expired = Delingsgrunnlaget har gått ut.
deny-basis-purpose-mismatch = Formålet som er oppgitt, er ikkje formålet i delingsgrunnlaget.
