## agencies.yaml

agency-folkeregisteret = Folkeregisteret (Skatteetaten)
agency-skatteetaten = Skatteetaten
agency-nav = NAV
agency-tingretten = Tingretten (Domstoladministrasjonen)
agency-kommunen = Kommunen (Oslo kommune)
agency-statens-vegvesen = Statens vegvesen
agency-kartverket = Kartverket
agency-mattilsynet = Mattilsynet
agency-bronnoysundregistrene = Brønnøysundregistrene
agency-arbeidstilsynet = Arbeidstilsynet
agency-helfo = Helfo

## losing-a-relative.yaml

losing-a-relative-title = Dødsfall i nær familie
losing-a-relative-description = Det du og etatene må gjøre etter et dødsfall, samlet på ett sted. Mange oppgaver gjør etatene selv; du ser når de er gjort.
losing-a-relative-death-registered-title = Dødsfallet er registrert i Folkeregisteret
losing-a-relative-death-registered-description = Legen melder dødsfallet, og begravelsesbyrået sender melding om dødsfall. Du trenger ikke gjøre noe selv.
losing-a-relative-funeral-grant-title = Søk om gravferdsstønad
losing-a-relative-funeral-grant-description = NAV kan dekke en del av utgiftene til gravferden. Søk innen seks måneder etter dødsfallet.
losing-a-relative-probate-title = Velg privat skifte, uskifte eller offentlig skifte hos tingretten
losing-a-relative-probate-description = Arvingene må innen 60 dager melde til tingretten om de overtar dødsboet til privat skifte, eller om gjenlevende ektefelle sitter i uskifte.
losing-a-relative-survivors-pension-title = Søk om gjenlevendepensjon
losing-a-relative-survivors-pension-description = Som gjenlevende ektefelle eller partner kan du ha rett til gjenlevendepensjon eller omstillingsstønad fra NAV.
losing-a-relative-childrens-pension-title = Søk om barnepensjon
losing-a-relative-childrens-pension-description = Barn under 18 år som har mistet en forelder, har rett til barnepensjon.
losing-a-relative-benefits-stopped-title = Ytelser til avdøde er stoppet
losing-a-relative-benefits-stopped-description = NAV stopper pensjon og andre ytelser fra måneden etter dødsfallet. Det som er utbetalt for mye, kreves ikke tilbake av dødsboet hvis det skyldes sen melding.
losing-a-relative-estate-tax-return-title = Lever skattemelding for dødsboet
losing-a-relative-estate-tax-return-description = Skatteetaten sender skattemelding for avdøde for året dødsfallet skjedde. Arvingene som har overtatt boet, må sjekke og levere den.
losing-a-relative-vehicle-ownership-title = Endre eier av kjøretøy
losing-a-relative-property-title-title = Tinglys ny eier av bolig og eiendom

## moving.yaml

moving-title = Flytte
moving-description = Når flyttingen er meldt til Folkeregisteret, får etatene den nye adressen. Her er det som gjenstår.
moving-report-move-title = Meld flytting til Folkeregisteret
moving-report-move-description = Flytting må meldes senest åtte dager etter at du har flyttet.
moving-address-updated-title = Adressen er oppdatert hos etatene
moving-new-gp-title = Velg ny fastlege
moving-new-gp-description = Flytter du til en annen kommune, beholder du fastlegen til du bytter. Bytt på helsenorge.no.
moving-school-kindergarten-title = Meld barna inn i skole og barnehage i ny kommune
moving-vehicle-address-title = Sjekk at kjøretøyet er registrert på ny adresse

## new-parent.yaml

new-parent-title = Nybakt forelder
new-parent-description = Gratulerer! Her er det som skjer etter fødselen, hva etatene gjør selv og hva du må gjøre.
new-parent-birth-registered-title = Fødselen er registrert og barnet har fått fødselsnummer
new-parent-name-title = Meld barnets navn
new-parent-name-description = Navnet må meldes til Folkeregisteret innen seks måneder etter fødselen.
new-parent-paternity-title = Erklær farskap eller medmorskap
new-parent-paternity-description = Er dere ikke gift, må farskap eller medmorskap erklæres, helst før fødselen og senest så snart som mulig etter.
new-parent-child-benefit-title = Barnetrygd
new-parent-child-benefit-description = NAV innvilger barnetrygd automatisk for de fleste barn født i Norge. Du får brev hvis du må søke selv.
new-parent-parental-benefit-title = Søk om foreldrepenger
new-parent-parental-benefit-description = Søk senest fire uker før du skal starte permisjonen. Perioder du ikke søker om i tide, kan gå tapt.
new-parent-kindergarten-title = Søk barnehageplass
new-parent-kindergarten-description = Søk innen hovedopptaket 1. mars for å ha rett på plass fra august året barnet fyller ett år.

## offers.yaml

offer-child-benefit-after-birth-title = barnetrygd
offer-funeral-grant-after-death-title = gravferdsstønad

## starting-a-restaurant.yaml

starting-a-restaurant-title = Starte restaurant
starting-a-restaurant-description = Fra registrering til første gjest — det Brønnøysundregistrene, Mattilsynet, kommunen og Skatteetaten trenger fra deg.
starting-a-restaurant-register-business-title = Registrer virksomheten i Enhetsregisteret
starting-a-restaurant-register-business-description = Samordnet registermelding gir organisasjonsnummer og registrerer i Foretaksregisteret og Merverdiavgiftsregisteret samtidig.
starting-a-restaurant-food-registration-title = Registrer virksomheten hos Mattilsynet
starting-a-restaurant-food-registration-description = Alle som serverer mat, må melde seg til Mattilsynet før oppstart.
starting-a-restaurant-haccp-title = Lag internkontroll og HACCP-plan
starting-a-restaurant-serving-licence-title = Søk serveringsbevilling hos kommunen
starting-a-restaurant-alcohol-licence-title = Søk skjenkebevilling
starting-a-restaurant-alcohol-licence-description = Styrer og stedfortreder må ha bestått kunnskapsprøven om alkoholloven.
starting-a-restaurant-smiley-inspection-title = Første tilsyn fra Mattilsynet (smilefjes)
starting-a-restaurant-employer-registration-title = Registrer deg som arbeidsgiver
starting-a-restaurant-employer-registration-description = Før første ansatte begynner, må virksomheten være registrert i Aa-registeret og levere a-melding hver måned.
starting-a-restaurant-hms-card-title = Bestill HMS-kort og sett opp arbeidsmiljøarbeid
starting-a-restaurant-vat-title = Lever mva-melding
