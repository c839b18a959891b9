## inputs.yaml

child-benefit-birth_date = Date of birth
child-benefit-role = Role in the household
child-benefit-annual_income = Annual income

## parameters.yaml

child-benefit-amount_per_child = Monthly rate per child
child-benefit-means_test_threshold = Income limit for the means test
child-benefit-means_test_rate = Reduction rate above the limit
child-benefit-large_family_supplement_table = Large-family supplement

## rules.yaml

child-benefit-is_child = Child under 18 on the first day of the month
child-benefit-is_parent = Parent in the household
child-benefit-number_of_children = Number of children under 18
child-benefit-number_of_children-explain = Children under 18 in the household: { $value }.
child-benefit-base_amount = Ordinary benefit (children × rate)
child-benefit-large_family_supplement = Large-family supplement
child-benefit-parental_income = Parents' combined annual income
child-benefit-income_above_limit = Parents' income is above the limit
child-benefit-means_test_reduction = Monthly reduction (means test)
child-benefit-child_benefit = Child benefit per month

## ruleset.yaml

child-benefit-name = Child benefit
child-benefit-description = Monthly child benefit per household, with a large-family supplement and a means test.
child-benefit-note = The rates and rules in this rule set are invented for tests and benchmarks.
child-benefit-source-Folkeregisteret = the National Population Register (Folkeregisteret)
child-benefit-source-A-ordningen = the employer reporting scheme (A-ordningen)
