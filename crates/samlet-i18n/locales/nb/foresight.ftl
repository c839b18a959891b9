# Foresight: the charts' words, the PESTEL categories, the two rating scales
# (bokmål verbatim from footnote 63 of the seed study) and the study's roles.

fs-chart-matrix-title = Strategisk blindsone: viktighet og beredskap per trend
fs-chart-bars-title = Gap mellom viktighet og beredskap per trend
fs-chart-importance = Viktighet
fs-chart-preparedness = Beredskap
fs-chart-blind-spot = Strategisk blindsone
fs-chart-gap = gap
fs-chart-no-ratings = ingen svar
fs-chart-ballots = svar
fs-chart-trends-of = trender av
fs-chart-in-blind-spot = I blindsonen
fs-chart-outside-blind-spot = Utenfor blindsonen
fs-chart-none-in-blind-spot = Ingen trender i blindsonen.
fs-chart-not-plotted = Uten svar, ikke vist
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
fs-preparedness-1 = Svært lite beredt
fs-preparedness-2 = Lite beredt
fs-preparedness-3 = Relativt lite beredt
fs-preparedness-4 = Relativt godt beredt
fs-preparedness-5 = Godt beredt
fs-preparedness-6 = Svært godt beredt
fs-role-managing_director = Daglig leder/adm.dir.
fs-role-director = Direktør
fs-role-adviser = Rådgiver
fs-role-clinician = Kliniker (lege, sykepleier)
fs-role-other = Annet

## The PDF report

fs-pdf-method-scales = Deltakerne vurderte hver av de { $trends } trendene, fordelt på { $themes } temaer, på to skalaer fra 1 til 6: hvor viktig trenden blir ({ $importance }) og hvor godt beredt sektoren er i dag ({ $preparedness }). Alle svarte anonymt på egen telefon, slik at ingen ble påvirket av andre, og kunne endre svarene til evalueringen ble avsluttet.
fs-pdf-method-blind-spot = En trend er i den strategiske blindsonen når gjennomsnittlig viktighet er over { $importance } og gjennomsnittlig beredskap under { $preparedness }. Gapet er gjennomsnittlig viktighet minus gjennomsnittlig beredskap; et temas gjennomsnittlige gap er det uvektede snittet av trendenes gap.
fs-pdf-participants-closed = { $ballots } deltakere svarte. Evalueringen åpnet { $created } og ble avsluttet { $closed }.
fs-pdf-participants-open = { $ballots } deltakere svarte. Evalueringen åpnet { $created } og er fortsatt åpen: tallene kan endre seg.
fs-pdf-importance-lower = viktighet
fs-pdf-preparedness-lower = beredskap
fs-pdf-none-in-blind-spot = Ingen trend er i blindsonen.
fs-pdf-star-in-blind-spot = * i blindsonen.
fs-pdf-col-trend = Trend
fs-pdf-col-gap = Gap
fs-pdf-col-theme = Tema
fs-pdf-col-average-gap = Gjennomsnittlig gap
fs-pdf-hidden-note = Grupper med færre enn fem svar er skjult for å verne anonymiteten.
fs-pdf-col-group = Gruppe
fs-pdf-col-ballots = Svar
fs-pdf-col-largest-gaps = Største gap
fs-pdf-col-theme-averages = Temasnitt
fs-pdf-by-role = Etter rolle
fs-pdf-by-experience = Etter års erfaring
fs-pdf-hidden-row = skjult for å verne anonymiteten
fs-years = { $years } år
