# Words around shipped content: journeys and rule explanations.

# Who does a task on a printed checklist (`samlet journeys plan`): "… (you)".
journey-plan-you = deg

# The start of an offer made again because a rule set changed.
offer-rules-changed = Fordi reglane vart endra frå { $date }, kan du no ha rett til meir enn før.

## Rule explanations: what a citizen reads about how a result was reached.

# A month and its year: "september 2024".
month-year = { $month } { $year }
rules-percent = { $value }{"\u00A0"}%
rules-yes = ja
rules-no = nei
rules-result = Resultat
rules-how = Slik er resultatet kome fram til (vilkår og utrekningar, med heimel):
rules-held = oppfylt
rules-not-held = ikkje oppfylt
rules-per-member = for kvar person i hushaldet
rules-params = Satsar og grenser som er brukte:
rules-valid-from = gjeld frå
rules-tables = Tabelloppslag:
rules-gives = gir
rules-row = rada
rules-and-more = og oppover
rules-data = Opplysningar som er brukte:
rules-from-source = henta frå
rules-no-source = inga autoritativ kjelde – opplyst av deg eller saksbehandlar
rules-household = hushald
rules-note = Merk
