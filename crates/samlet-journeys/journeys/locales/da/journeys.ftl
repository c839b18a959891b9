## agencies.yaml

agency-folkeregisteret = Folkeregistret (den norske skattemyndighed, Skatteetaten)
agency-skatteetaten = Skatteetaten (den norske skattemyndighed)
agency-nav = NAV (den norske arbejds- og velfærdsforvaltning)
agency-tingretten = Tingretten (byretten, Domstoladministrasjonen)
agency-kommunen = Kommunen (Oslo kommune)
agency-statens-vegvesen = Statens vegvesen (den norske vejmyndighed)
agency-kartverket = Kartverket (den norske kort- og tinglysningsmyndighed)
agency-mattilsynet = Mattilsynet (den norske fødevaremyndighed)
agency-bronnoysundregistrene = Brønnøysundregistrene (de norske virksomhedsregistre)
agency-arbeidstilsynet = Arbeidstilsynet (det norske arbejdstilsyn)
agency-helfo = Helfo

## losing-a-relative.yaml

losing-a-relative-title = Dødsfald i den nærmeste familie
losing-a-relative-description = Det, du og myndighederne skal gøre efter et dødsfald, samlet ét sted. Mange opgaver klarer myndighederne selv; du kan se, når de er gjort.
losing-a-relative-death-registered-title = Dødsfaldet er registreret i folkeregistret
losing-a-relative-death-registered-description = Lægen anmelder dødsfaldet, og bedemanden sender meddelelse om dødsfaldet. Du skal ikke selv gøre noget.
losing-a-relative-funeral-grant-title = Søg om begravelseshjælp
losing-a-relative-funeral-grant-description = NAV kan dække en del af udgifterne til begravelsen. Søg senest seks måneder efter dødsfaldet.
losing-a-relative-probate-title = Vælg privat skifte, uskiftet bo eller offentligt skifte ved tingretten
losing-a-relative-probate-description = Arvingerne skal inden 60 dage meddele tingretten, om de overtager dødsboet til privat skifte, eller om den efterlevende ægtefælle sidder i uskiftet bo.
losing-a-relative-survivors-pension-title = Søg om efterladtepension
losing-a-relative-survivors-pension-description = Som efterlevende ægtefælle eller partner kan du have ret til efterladtepension eller omstillingsydelse fra NAV.
losing-a-relative-childrens-pension-title = Søg om børnepension
losing-a-relative-childrens-pension-description = Børn under 18 år, der har mistet en forælder, har ret til børnepension.
losing-a-relative-benefits-stopped-title = Ydelser til afdøde er stoppet
losing-a-relative-benefits-stopped-description = NAV stopper pension og andre ydelser fra måneden efter dødsfaldet. Beløb, der er udbetalt for meget på grund af sen anmeldelse, kræves ikke tilbage fra dødsboet.
losing-a-relative-estate-tax-return-title = Indsend selvangivelsen for dødsboet
losing-a-relative-estate-tax-return-description = Skatteetaten sender en selvangivelse for afdøde for det år, dødsfaldet skete. De arvinger, der har overtaget boet, skal kontrollere og indsende den.
losing-a-relative-vehicle-ownership-title = Skift ejer af køretøjer
losing-a-relative-property-title-title = Tinglys den nye ejer af bolig og fast ejendom

## moving.yaml

moving-title = Flytning
moving-description = Når flytningen er anmeldt til folkeregistret, får myndighederne den nye adresse. Her er det, der mangler.
moving-report-move-title = Anmeld flytningen til folkeregistret
moving-report-move-description = Flytning skal anmeldes senest otte dage efter, at du er flyttet.
moving-address-updated-title = Adressen er opdateret hos myndighederne
moving-new-gp-title = Vælg ny fast læge
moving-new-gp-description = Flytter du til en anden kommune, beholder du din faste læge, indtil du skifter. Skift på helsenorge.no.
moving-school-kindergarten-title = Tilmeld børnene skole og børnehave i den nye kommune
moving-vehicle-address-title = Tjek, at køretøjet er registreret på den nye adresse

## new-parent.yaml

new-parent-title = Nybagt forælder
new-parent-description = Tillykke! Her kan du se, hvad der sker efter fødslen, hvad myndighederne selv gør, og hvad du skal gøre.
new-parent-birth-registered-title = Fødslen er registreret, og barnet har fået personnummer
new-parent-name-title = Anmeld barnets navn
new-parent-name-description = Navnet skal anmeldes til folkeregistret senest seks måneder efter fødslen.
new-parent-paternity-title = Erklær faderskab eller medmoderskab
new-parent-paternity-description = Er I ikke gift, skal faderskab eller medmoderskab erklæres, helst før fødslen og ellers så hurtigt som muligt efter.
new-parent-child-benefit-title = Børnetilskud
new-parent-child-benefit-description = NAV bevilger børnetilskud automatisk for de fleste børn, der er født i Norge. Du får et brev, hvis du selv skal søge.
new-parent-parental-benefit-title = Søg om barselsdagpenge
new-parent-parental-benefit-description = Søg senest fire uger, før din orlov begynder. Perioder, du ikke søger om i tide, kan gå tabt.
new-parent-kindergarten-title = Søg om en børnehaveplads
new-parent-kindergarten-description = Søg inden hovedoptaget 1. marts for at have ret til en plads fra august i det år, barnet fylder et år.

## offers.yaml

offer-child-benefit-after-birth-title = børnetilskud
offer-funeral-grant-after-death-title = begravelseshjælp

## starting-a-restaurant.yaml

starting-a-restaurant-title = Start af restaurant
starting-a-restaurant-description = Fra registrering til første gæst — det, som Brønnøysundregistrene, Mattilsynet, kommunen og Skatteetaten skal have fra dig.
starting-a-restaurant-register-business-title = Registrér virksomheden i Enhetsregisteret
starting-a-restaurant-register-business-description = Den samordnede registeranmeldelse giver et organisationsnummer og registrerer samtidig i Foretaksregisteret og momsregistret.
starting-a-restaurant-food-registration-title = Registrér virksomheden hos Mattilsynet
starting-a-restaurant-food-registration-description = Alle, der serverer mad, skal anmelde sig til Mattilsynet, før de åbner.
starting-a-restaurant-haccp-title = Lav egenkontrol og en HACCP-plan
starting-a-restaurant-serving-licence-title = Søg om serveringsbevilling hos kommunen
starting-a-restaurant-alcohol-licence-title = Søg om alkoholbevilling
starting-a-restaurant-alcohol-licence-description = Bestyreren og stedfortræderen skal have bestået kundskabsprøven om alkoholloven.
starting-a-restaurant-smiley-inspection-title = Første kontrolbesøg fra Mattilsynet (smiley)
starting-a-restaurant-employer-registration-title = Registrér dig som arbejdsgiver
starting-a-restaurant-employer-registration-description = Før den første medarbejder begynder, skal virksomheden være registreret i Aa-registeret og indsende a-melding hver måned.
starting-a-restaurant-hms-card-title = Bestil HMS-kort, og sæt arbejdsmiljøarbejdet i gang
starting-a-restaurant-vat-title = Indsend momsangivelsen
