## inputs.yaml

funeral-grant-deceased_birth_date = Afdødes fødselsdato
funeral-grant-deceased_assets = Afdødes nettoformue
funeral-grant-spouse_assets = Den efterlevende ægtefælles nettoformue (0 uden ægtefælle)

## parameters.yaml

funeral-grant-max_grant = Højeste begravelseshjælp
funeral-grant-asset_allowance = Formue, der holdes uden for behovsvurderingen
funeral-grant-adult_age = Alder for behovsvurdering

## rules.yaml

funeral-grant-deceased_was_adult = Afdøde var 18 år eller ældre
funeral-grant-assets = Samlet formue, der indgår i behovsvurderingen
funeral-grant-means_test_reduction = Nedsættelse for formue over fribeløbet
funeral-grant-funeral_grant = Begravelseshjælp (op til)
funeral-grant-funeral_grant-explain = Du kan få op til { $value } i begravelseshjælp til de faktiske udgifter til begravelsen.

## ruleset.yaml

funeral-grant-name = Begravelseshjælp
funeral-grant-description = Engangsydelse til dækning af udgifter til begravelse, behovsvurderet efter afdødes og den efterlevende ægtefælles formue.
funeral-grant-note = Beløbene og behovsvurderingen i dette regelsæt er opdigtede til demo og test.
funeral-grant-source-Folkeregisteret = det norske folkeregister (Folkeregisteret)
funeral-grant-source-Skattemeldingen = selvangivelsen (Skatteetaten)
