## agencies.yaml

agency-folkeregisteret = Folkeregisteret (Skatteetaten)
agency-skatteetaten = Skatteetaten
agency-nav = NAV
agency-tingretten = Tingretten (Domstoladministrasjonen)
agency-kommunen = Kommunen (Oslo kommune)
agency-statens-vegvesen = Statens vegvesen
agency-kartverket = Kartverket
agency-mattilsynet = Mattilsynet
agency-bronnoysundregistrene = Brønnøysundregistera
agency-arbeidstilsynet = Arbeidstilsynet
agency-helfo = Helfo

## losing-a-relative.yaml

losing-a-relative-title = Dødsfall i nær familie
losing-a-relative-description = Det du og etatane må gjere etter eit dødsfall, samla på éin stad. Mange oppgåver gjer etatane sjølve; du ser når dei er gjorde.
losing-a-relative-death-registered-title = Dødsfallet er registrert i Folkeregisteret
losing-a-relative-death-registered-description = Legen melder dødsfallet, og gravferdsbyrået sender melding om dødsfall. Du treng ikkje gjere noko sjølv.
losing-a-relative-funeral-grant-title = Søk om gravferdsstønad
losing-a-relative-funeral-grant-description = NAV kan dekkje ein del av utgiftene til gravferda. Søk innan seks månader etter dødsfallet.
losing-a-relative-probate-title = Vel privat skifte, uskifte eller offentleg skifte hos tingretten
losing-a-relative-probate-description = Arvingane må innan 60 dagar melde til tingretten om dei tek over dødsbuet til privat skifte, eller om attlevande ektefelle sit i uskifte.
losing-a-relative-survivors-pension-title = Søk om attlevandepensjon
losing-a-relative-survivors-pension-description = Som attlevande ektefelle eller partnar kan du ha rett til attlevandepensjon eller omstillingsstønad frå NAV.
losing-a-relative-childrens-pension-title = Søk om barnepensjon
losing-a-relative-childrens-pension-description = Barn under 18 år som har mista ein forelder, har rett til barnepensjon.
losing-a-relative-benefits-stopped-title = Ytingar til den avdøde er stoppa
losing-a-relative-benefits-stopped-description = NAV stoppar pensjon og andre ytingar frå månaden etter dødsfallet. Det som er utbetalt for mykje, blir ikkje kravd tilbake frå dødsbuet dersom det kjem av sein melding.
losing-a-relative-estate-tax-return-title = Lever skattemelding for dødsbuet
losing-a-relative-estate-tax-return-description = Skatteetaten sender skattemelding for den avdøde for året dødsfallet skjedde. Arvingane som har teke over buet, må sjekke og levere ho.
losing-a-relative-vehicle-ownership-title = Endre eigar av køyretøy
losing-a-relative-property-title-title = Tinglys ny eigar av bustad og eigedom

## moving.yaml

moving-title = Flytte
moving-description = Når flyttinga er meld til Folkeregisteret, får etatane den nye adressa. Her er det som står att.
moving-report-move-title = Meld flytting til Folkeregisteret
moving-report-move-description = Flytting må meldast seinast åtte dagar etter at du har flytta.
moving-address-updated-title = Adressa er oppdatert hos etatane
moving-new-gp-title = Vel ny fastlege
moving-new-gp-description = Flyttar du til ein annan kommune, held du på fastlegen til du byter. Byt på helsenorge.no.
moving-school-kindergarten-title = Meld borna inn i skule og barnehage i den nye kommunen
moving-vehicle-address-title = Sjekk at køyretøyet er registrert på ny adresse

## new-parent.yaml

new-parent-title = Nybakt forelder
new-parent-description = Gratulerer! Her er det som skjer etter fødselen, kva etatane gjer sjølve og kva du må gjere.
new-parent-birth-registered-title = Fødselen er registrert og barnet har fått fødselsnummer
new-parent-name-title = Meld namnet til barnet
new-parent-name-description = Namnet må meldast til Folkeregisteret innan seks månader etter fødselen.
new-parent-paternity-title = Erklær farskap eller medmorskap
new-parent-paternity-description = Er de ikkje gifte, må farskap eller medmorskap erklærast, helst før fødselen og seinast så snart som mogleg etter.
new-parent-child-benefit-title = Barnetrygd
new-parent-child-benefit-description = NAV innvilgar barnetrygd automatisk for dei fleste barn fødde i Noreg. Du får brev dersom du må søkje sjølv.
new-parent-parental-benefit-title = Søk om foreldrepengar
new-parent-parental-benefit-description = Søk seinast fire veker før du skal starte permisjonen. Periodar du ikkje søkjer om i tide, kan gå tapt.
new-parent-kindergarten-title = Søk om barnehageplass
new-parent-kindergarten-description = Søk innan hovudopptaket 1. mars for å ha rett på plass frå august det året barnet fyller eitt år.

## offers.yaml

offer-child-benefit-after-birth-title = barnetrygd
offer-funeral-grant-after-death-title = gravferdsstønad

## starting-a-restaurant.yaml

starting-a-restaurant-title = Starte restaurant
starting-a-restaurant-description = Frå registrering til første gjest — det Brønnøysundregistera, Mattilsynet, kommunen og Skatteetaten treng frå deg.
starting-a-restaurant-register-business-title = Registrer verksemda i Einingsregisteret
starting-a-restaurant-register-business-description = Samordna registermelding gir organisasjonsnummer og registrerer i Føretaksregisteret og Meirverdiavgiftsregisteret samtidig.
starting-a-restaurant-food-registration-title = Registrer verksemda hos Mattilsynet
starting-a-restaurant-food-registration-description = Alle som serverer mat, må melde seg til Mattilsynet før oppstart.
starting-a-restaurant-haccp-title = Lag internkontroll og HACCP-plan
starting-a-restaurant-serving-licence-title = Søk om serveringsløyve hos kommunen
starting-a-restaurant-alcohol-licence-title = Søk om skjenkeløyve
starting-a-restaurant-alcohol-licence-description = Styrar og stadfortredar må ha bestått kunnskapsprøva om alkohollova.
starting-a-restaurant-smiley-inspection-title = Første tilsyn frå Mattilsynet (smilefjes)
starting-a-restaurant-employer-registration-title = Registrer deg som arbeidsgivar
starting-a-restaurant-employer-registration-description = Før den første tilsette byrjar, må verksemda vere registrert i Aa-registeret og levere a-melding kvar månad.
starting-a-restaurant-hms-card-title = Bestill HMS-kort og set i gang arbeid med arbeidsmiljøet
starting-a-restaurant-vat-title = Lever mva-melding
