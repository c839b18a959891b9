## inputs.yaml

child-benefit-birth_date = Fødselsdato
child-benefit-role = Rolle i hushaldet
child-benefit-annual_income = Årsinntekt

## parameters.yaml

child-benefit-amount_per_child = Sats per barn per månad
child-benefit-means_test_threshold = Inntektsgrense for behovsprøving
child-benefit-means_test_rate = Avkortingssats over grensa
child-benefit-large_family_supplement_table = Tillegg for store familiar

## rules.yaml

child-benefit-is_child = Barn under 18 år den første i månaden
child-benefit-is_parent = Forelder i hushaldet
child-benefit-number_of_children = Talet på barn under 18 år
child-benefit-number_of_children-explain = Barn under 18 år i hushaldet: { $value }.
child-benefit-base_amount = Ordinær barnetrygd (talet på barn × sats)
child-benefit-large_family_supplement = Tillegg for store familiar
child-benefit-parental_income = Den samla årsinntekta til foreldra
child-benefit-income_above_limit = Inntekta til foreldra er over grensa
child-benefit-means_test_reduction = Avkorting per månad (behovsprøving)
child-benefit-child_benefit = Barnetrygd per månad

## ruleset.yaml

child-benefit-name = Barnetrygd
child-benefit-description = Månadleg barnetrygd per hushald, med tillegg for store familiar og behovsprøving.
child-benefit-note = Satsane og reglane i dette regelsettet er oppdikta for test og ytingsmåling.
child-benefit-source-Folkeregisteret = Folkeregisteret
child-benefit-source-A-ordningen = a-ordninga
