## inputs.yaml

child-benefit-birth_date = Fødselsdato
child-benefit-role = Rolle i husstanden
child-benefit-annual_income = Årsinntekt

## parameters.yaml

child-benefit-amount_per_child = Sats per barn per måned
child-benefit-means_test_threshold = Inntektsgrense for behovsprøving
child-benefit-means_test_rate = Avkortingssats over grensen
child-benefit-large_family_supplement_table = Tillegg for store familier

## rules.yaml

child-benefit-is_child = Barn under 18 år den første i måneden
child-benefit-is_parent = Forelder i husstanden
child-benefit-number_of_children = Antall barn under 18 år
child-benefit-number_of_children-explain = Barn under 18 år i husstanden: { $value }.
child-benefit-base_amount = Ordinær barnetrygd (antall barn × sats)
child-benefit-large_family_supplement = Tillegg for store familier
child-benefit-parental_income = Foreldrenes samlede årsinntekt
child-benefit-income_above_limit = Foreldrenes inntekt er over grensen
child-benefit-means_test_reduction = Avkorting per måned (behovsprøving)
child-benefit-child_benefit = Barnetrygd per måned

## ruleset.yaml

child-benefit-name = Barnetrygd
child-benefit-description = Månedlig barnetrygd per husstand, med tillegg for store familier og behovsprøving.
child-benefit-note = Satsene og reglene i dette regelsettet er oppdiktet for test og ytelsesmåling.
child-benefit-source-Folkeregisteret = Folkeregisteret
child-benefit-source-A-ordningen = a-ordningen
