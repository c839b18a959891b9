# Words around shipped content: journeys and rule explanations.

# Who does a task on a printed checklist (`samlet journeys plan`): "… (you)".
journey-plan-you = deg

# The start of an offer made again because a rule set changed.
offer-rules-changed = Fordi reglene ble endret fra { $date }, kan du nå ha rett til mer enn før.

## Rule explanations: what a citizen reads about how a result was reached.

# A month and its year: "september 2024".
month-year = { $month } { $year }
rules-percent = { $value }{"\u00A0"}%
rules-yes = ja
rules-no = nei
rules-result = Resultat
rules-how = Slik er resultatet kommet fram til (vilkår og beregninger, med hjemmel):
rules-held = oppfylt
rules-not-held = ikke oppfylt
rules-per-member = for hver person i husstanden
rules-params = Satser og grenser som er brukt:
rules-valid-from = gjelder fra
rules-tables = Tabelloppslag:
rules-gives = gir
rules-row = raden
rules-and-more = og oppover
rules-data = Opplysninger som er brukt:
rules-from-source = hentet fra
rules-no-source = ingen autoritativ kilde – opplyst av deg eller saksbehandler
rules-household = husstand
rules-note = Merk
