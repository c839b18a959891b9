# Words around shipped content: journeys and rule explanations.

# Who does a task on a printed checklist (`samlet journeys plan`): "… (you)".
journey-plan-you = dig

# The start of an offer made again because a rule set changed.
offer-rules-changed = Fordi reglerne blev ændret fra { $date }, kan du nu have ret til mere end før.

## Rule explanations: what a citizen reads about how a result was reached.

# A month and its year: "september 2024".
month-year = { $month } { $year }
rules-percent = { $value }{"\u00A0"}%
rules-yes = ja
rules-no = nej
rules-result = Resultat
rules-how = Sådan er resultatet nået (betingelser og beregninger med hjemmel):
rules-held = opfyldt
rules-not-held = ikke opfyldt
rules-per-member = for hver person i husstanden
rules-params = Anvendte satser og grænser:
rules-valid-from = gælder fra
rules-tables = Tabelopslag:
rules-gives = giver
rules-row = rækken
rules-and-more = og derover
rules-data = Anvendte oplysninger:
rules-from-source = hentet fra
rules-no-source = ingen autoritativ kilde – oplyst af dig eller en sagsbehandler
rules-household = husstand
rules-note = Bemærk
