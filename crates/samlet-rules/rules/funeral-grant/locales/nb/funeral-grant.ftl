## inputs.yaml

funeral-grant-deceased_birth_date = Avdødes fødselsdato
funeral-grant-deceased_assets = Avdødes nettoformue
funeral-grant-spouse_assets = Gjenlevende ektefelles nettoformue (0 uten ektefelle)

## parameters.yaml

funeral-grant-max_grant = Høyeste gravferdsstønad
funeral-grant-asset_allowance = Formue som holdes utenfor behovsprøvingen
funeral-grant-adult_age = Alder for behovsprøving

## rules.yaml

funeral-grant-deceased_was_adult = Avdøde var 18 år eller eldre
funeral-grant-assets = Samlet formue som behovsprøves
funeral-grant-means_test_reduction = Avkorting for formue over fribeløpet
funeral-grant-funeral_grant = Gravferdsstønad (inntil)
funeral-grant-funeral_grant-explain = Du kan få inntil { $value } i gravferdsstønad for faktiske utgifter til gravferden.

## ruleset.yaml

funeral-grant-name = Gravferdsstønad
funeral-grant-description = Engangsstønad til dekning av utgifter til gravferd, behovsprøvd mot formuen til avdøde og gjenlevende ektefelle.
funeral-grant-note = Beløpene og behovsprøvingen i dette regelsettet er oppdiktet for demo og test.
funeral-grant-source-Folkeregisteret = Folkeregisteret
funeral-grant-source-Skattemeldingen = skattemeldingen (Skatteetaten)
