# Words around shipped content: journeys and rule explanations.

# Who does a task on a printed checklist (`samlet journeys plan`): "… (you)".
journey-plan-you = you

# The start of an offer made again because a rule set changed.
offer-rules-changed = Because the rules changed from { $date }, you may now be entitled to more than before.

## Rule explanations: what a citizen reads about how a result was reached.

# A month and its year: "September 2024".
month-year = { $month } { $year }
rules-percent = { $value }%
rules-yes = yes
rules-no = no
rules-result = Result
rules-how = How the result was reached (conditions and calculations, with legal basis):
rules-held = held
rules-not-held = did not hold
rules-per-member = for each member of the household
rules-params = Rates and limits used:
rules-valid-from = in force from
rules-tables = Table look-ups:
rules-gives = gives
rules-row = row
rules-and-more = and above
rules-data = Information used:
rules-from-source = from
rules-no-source = no authoritative source – provided by you or a caseworker
rules-household = household
rules-note = Note
