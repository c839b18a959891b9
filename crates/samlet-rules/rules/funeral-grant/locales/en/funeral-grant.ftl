## inputs.yaml

funeral-grant-deceased_birth_date = Date of birth of the deceased
funeral-grant-deceased_assets = Net assets of the deceased
funeral-grant-spouse_assets = Net assets of a surviving spouse (0 if none)

## parameters.yaml

funeral-grant-max_grant = Highest funeral grant
funeral-grant-asset_allowance = Assets left out of the means test
funeral-grant-adult_age = Age from which the grant is means-tested

## rules.yaml

funeral-grant-deceased_was_adult = The deceased was 18 or older
funeral-grant-assets = Assets taken into account
funeral-grant-means_test_reduction = Reduction for assets above the allowance
funeral-grant-funeral_grant = Funeral grant (up to)
funeral-grant-funeral_grant-explain = You may get up to { $value } in funeral grant towards the actual costs of the funeral.

## ruleset.yaml

funeral-grant-name = Funeral grant
funeral-grant-description = A one-off grant towards funeral costs, means-tested against the assets of the deceased and a surviving spouse.
funeral-grant-note = The amounts and the means test in this rule set are invented for the demo and tests.
funeral-grant-source-Folkeregisteret = the National Population Register (Folkeregisteret)
funeral-grant-source-Skattemeldingen = the tax return (Skatteetaten)
