## inputs.yaml

funeral-grant-deceased_birth_date = Fødselsdatoen til den avdøde
funeral-grant-deceased_assets = Nettoformuen til den avdøde
funeral-grant-spouse_assets = Nettoformuen til attlevande ektefelle (0 utan ektefelle)

## parameters.yaml

funeral-grant-max_grant = Høgaste gravferdsstønad
funeral-grant-asset_allowance = Formue som blir halden utanfor behovsprøvinga
funeral-grant-adult_age = Alder for behovsprøving

## rules.yaml

funeral-grant-deceased_was_adult = Den avdøde var 18 år eller eldre
funeral-grant-assets = Samla formue som blir behovsprøvd
funeral-grant-means_test_reduction = Avkorting for formue over fribeløpet
funeral-grant-funeral_grant = Gravferdsstønad (inntil)
funeral-grant-funeral_grant-explain = Du kan få inntil { $value } i gravferdsstønad for faktiske utgifter til gravferda.

## ruleset.yaml

funeral-grant-name = Gravferdsstønad
funeral-grant-description = Eingongsstønad til dekning av utgifter til gravferd, behovsprøvd mot formuen til den avdøde og attlevande ektefelle.
funeral-grant-note = Beløpa og behovsprøvinga i dette regelsettet er oppdikta for demo og test.
funeral-grant-source-Folkeregisteret = Folkeregisteret
funeral-grant-source-Skattemeldingen = skattemeldinga (Skatteetaten)
