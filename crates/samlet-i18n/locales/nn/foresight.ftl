# Foresight: the charts' words, the PESTEL categories, the two rating scales
# (bokmål verbatim from footnote 63 of the seed study) and the study's roles.

fs-chart-matrix-title = Strategisk blindsone: viktigheit og beredskap per trend
fs-chart-bars-title = Gap mellom viktigheit og beredskap per trend
fs-chart-importance = Viktigheit
fs-chart-preparedness = Beredskap
fs-chart-blind-spot = Strategisk blindsone
fs-chart-gap = gap
fs-chart-no-ratings = ingen svar
fs-chart-ballots = svar
fs-chart-trends-of = trendar av
fs-chart-in-blind-spot = I blindsona
fs-chart-outside-blind-spot = Utanfor blindsona
fs-chart-none-in-blind-spot = Ingen trendar i blindsona.
fs-chart-not-plotted = Utan svar, ikkje vist
fs-category-political = Politiske drivkrefter
fs-category-economic = Økonomiske drivkrefter
fs-category-social = Sosiale drivkrefter
fs-category-technological = Teknologiske drivkrefter
fs-category-environmental = Miljømessige drivkrefter
fs-category-legal = Juridiske drivkrefter
fs-importance-1 = Svært lite viktig
fs-importance-2 = Lite viktig
fs-importance-3 = Relativt lite viktig
fs-importance-4 = Relativt viktig
fs-importance-5 = Viktig
fs-importance-6 = Svært viktig
fs-preparedness-1 = Svært lite budd
fs-preparedness-2 = Lite budd
fs-preparedness-3 = Relativt lite budd
fs-preparedness-4 = Relativt godt budd
fs-preparedness-5 = Godt budd
fs-preparedness-6 = Svært godt budd
fs-role-managing_director = Dagleg leiar/adm.dir.
fs-role-director = Direktør
fs-role-adviser = Rådgivar
fs-role-clinician = Klinikar (lege, sjukepleiar)
fs-role-other = Anna

## The PDF report

fs-pdf-method-scales = Deltakarane vurderte kvar av dei { $trends } trendane, fordelte på { $themes } tema, på to skalaer frå 1 til 6: kor viktig trenden blir ({ $importance }) og kor godt budd sektoren er i dag ({ $preparedness }). Alle svarte anonymt på eigen telefon, slik at ingen vart påverka av andre, og kunne endre svara til evalueringa vart avslutta.
fs-pdf-method-blind-spot = Ein trend er i den strategiske blindsona når gjennomsnittleg viktigheit er over { $importance } og gjennomsnittleg beredskap under { $preparedness }. Gapet er gjennomsnittleg viktigheit minus gjennomsnittleg beredskap; det gjennomsnittlege gapet til eit tema er det uvekta snittet av gapa til trendane.
fs-pdf-participants-closed = { $ballots } deltakarar svarte. Evalueringa opna { $created } og vart avslutta { $closed }.
fs-pdf-participants-open = { $ballots } deltakarar svarte. Evalueringa opna { $created } og er framleis open: tala kan endre seg.
fs-pdf-importance-lower = viktigheit
fs-pdf-preparedness-lower = beredskap
fs-pdf-none-in-blind-spot = Ingen trend er i blindsona.
fs-pdf-star-in-blind-spot = * i blindsona.
fs-pdf-col-trend = Trend
fs-pdf-col-gap = Gap
fs-pdf-col-theme = Tema
fs-pdf-col-average-gap = Gjennomsnittleg gap
fs-pdf-hidden-note = Grupper med færre enn fem svar er skjulte for å verne anonymiteten.
fs-pdf-col-group = Gruppe
fs-pdf-col-ballots = Svar
fs-pdf-col-largest-gaps = Største gap
fs-pdf-col-theme-averages = Temasnitt
fs-pdf-by-role = Etter rolle
fs-pdf-by-experience = Etter års erfaring
fs-pdf-hidden-row = skjult for å verne anonymiteten
fs-years = { $years } år
