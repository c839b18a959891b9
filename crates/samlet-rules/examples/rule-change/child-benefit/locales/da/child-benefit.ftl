## inputs.yaml

child-benefit-birth_date = Fødselsdato
child-benefit-role = Rolle i husstanden
child-benefit-annual_income = Årsindkomst

## parameters.yaml

child-benefit-amount_per_child = Sats pr. barn pr. måned
child-benefit-means_test_threshold = Indkomstgrænse for behovsvurderingen
child-benefit-means_test_rate = Aftrapningssats over grænsen
child-benefit-large_family_supplement_table = Tillæg for store familier

## rules.yaml

child-benefit-is_child = Barn under 18 år den første i måneden
child-benefit-is_parent = Forælder i husstanden
child-benefit-number_of_children = Antal børn under 18 år
child-benefit-number_of_children-explain = Børn under 18 år i husstanden: { $value }.
child-benefit-base_amount = Almindeligt børnetilskud (antal børn × sats)
child-benefit-large_family_supplement = Tillæg for store familier
child-benefit-parental_income = Forældrenes samlede årsindkomst
child-benefit-income_above_limit = Forældrenes indkomst er over grænsen
child-benefit-means_test_reduction = Aftrapning pr. måned (behovsvurdering)
child-benefit-child_benefit = Børnetilskud pr. måned

## ruleset.yaml

child-benefit-name = Børnetilskud
child-benefit-description = Månedligt børnetilskud pr. husstand med tillæg for store familier og behovsvurdering.
child-benefit-note = Satserne og reglerne i dette regelsæt er opdigtede til test og ydelsesmåling.
child-benefit-source-Folkeregisteret = det norske folkeregister (Folkeregisteret)
child-benefit-source-A-ordningen = arbejdsgivernes indberetningsordning (A-ordningen)
