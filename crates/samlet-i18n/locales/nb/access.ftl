# Why an access was refused: shown to the person asking (on pages and in API problems).
# Ids are deny- and the reason's code.

deny-no-basis = Du har ingen fullmakt, vergemål eller foreldreansvar for denne personen.
deny-own-data = Dette er dine egne opplysninger: se dem under /me.
deny-not-yet-valid = Fullmakten gjelder ikke ennå.
deny-expired = Fullmakten har utløpt.
deny-revoked = Fullmakten er trukket tilbake.
deny-came-of-age = Foreldreansvaret opphørte da barnet ble myndig.
deny-action-not-granted = Fullmakten gir ikke lov til denne handlingen.
deny-no-consent = Personen er ikke spurt om samtykke til å dele disse opplysningene med dere.
deny-consent-pending = Personen har ikke svart på samtykkeforespørselen ennå.
deny-consent-declined = Personen avslo samtykkeforespørselen.
deny-consent-revoked = Personen har trukket samtykket tilbake.
deny-consent-expired = Samtykket har utløpt.
deny-category-not-covered = Samtykket dekker ikke denne typen opplysninger.
deny-giver-too-young = Du må være minst { $min } år for å gi fullmakt.
deny-representative-too-young = Den som får fullmakt, må være minst { $min } år.
deny-mandate-to-self = Du kan ikke gi fullmakt til deg selv.
deny-no-scopes = Velg minst ett område eller en tjeneste fullmakten gjelder.
deny-no-actions = Velg minst én handling (se eller handle).
deny-bad-period = Sluttdatoen må være etter startdatoen og frem i tid.
deny-no-support-scope = Tokenet mangler tilgangen til brukerstøtteoppslag.
deny-no-purpose = Oppgi formål og rettslig grunnlag for oppslaget.
deny-out-of-scope = Fullmakten dekker ikke området eller tjenesten dette gjelder.
deny-basis-unknown = Det finnes ikke noe delingsgrunnlag med denne id-en for dere.
deny-basis-not-accepted = Etaten som har opplysningene, har ikke godtatt delingsgrunnlaget.
deny-basis-revoked = Delingsgrunnlaget er trukket tilbake.
deny-basis-not-yet-valid = Delingsgrunnlaget gjelder ikke ennå.
deny-basis-expired = Delingsgrunnlaget har utløpt.
deny-basis-purpose-mismatch = Formålet som er oppgitt, er ikke formålet i delingsgrunnlaget.
