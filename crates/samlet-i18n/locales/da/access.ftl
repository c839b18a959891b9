# Why an access was refused: shown to the person asking (on pages and in API problems).
# Ids are deny- and the reason's code.

deny-no-basis = Du har ingen fuldmagt, intet værgemål og ingen forældremyndighed over denne person.
deny-own-data = Dette er dine egne oplysninger: se dem under /me.
deny-not-yet-valid = Fuldmagten gælder endnu ikke.
deny-expired = Fuldmagten er udløbet.
deny-revoked = Fuldmagten er tilbagekaldt.
deny-came-of-age = Forældremyndigheden ophørte, da barnet blev myndigt.
deny-action-not-granted = Fuldmagten giver ikke lov til denne handling.
deny-no-consent = Personen er ikke blevet spurgt om samtykke til at dele disse oplysninger med jer.
deny-consent-pending = Personen har endnu ikke svaret på anmodningen om samtykke.
deny-consent-declined = Personen har afvist anmodningen om samtykke.
deny-consent-revoked = Personen har trukket samtykket tilbage.
deny-consent-expired = Samtykket er udløbet.
deny-category-not-covered = Samtykket omfatter ikke denne type oplysninger.
deny-giver-too-young = Du skal være mindst { $min } år for at give en fuldmagt.
deny-representative-too-young = Den, der får fuldmagten, skal være mindst { $min } år.
deny-mandate-to-self = Du kan ikke give en fuldmagt til dig selv.
deny-no-scopes = Vælg mindst ét område eller én tjeneste, som fuldmagten gælder.
deny-no-actions = Vælg mindst én handling (se eller handle).
deny-bad-period = Slutdatoen skal ligge efter startdatoen og ude i fremtiden.
deny-no-support-scope = Tokenet mangler adgangen til opslag i brugersupport.
deny-no-purpose = Angiv formål og retsgrundlag for opslaget.
deny-out-of-scope = Fuldmagten dækker ikke det område eller den tjeneste, det drejer sig om.
deny-basis-unknown = Der findes intet delingsgrundlag med dette id for jer.
deny-basis-not-accepted = Myndigheden, der har oplysningerne, har ikke godkendt delingsgrundlaget.
deny-basis-revoked = Delingsgrundlaget er tilbagekaldt.
deny-basis-not-yet-valid = Delingsgrundlaget gælder endnu ikke.
deny-basis-expired = Delingsgrundlaget er udløbet.
deny-basis-purpose-mismatch = Det angivne formål er ikke delingsgrundlagets formål.
