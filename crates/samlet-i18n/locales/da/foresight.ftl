# Foresight: the charts' words, the PESTEL categories, the two rating scales
# (bokmål verbatim from footnote 63 of the seed study) and the study's roles.

fs-chart-matrix-title = Strategisk blind vinkel: vigtighed og parathed pr. trend
fs-chart-bars-title = Gab mellem vigtighed og parathed pr. trend
fs-chart-importance = Vigtighed
fs-chart-preparedness = Parathed
fs-chart-blind-spot = Strategisk blind vinkel
fs-chart-gap = gab
fs-chart-no-ratings = ingen svar
fs-chart-ballots = svar
fs-chart-trends-of = trends ud af
fs-chart-in-blind-spot = I den blinde vinkel
fs-chart-outside-blind-spot = Uden for den blinde vinkel
fs-chart-none-in-blind-spot = Ingen trends i den blinde vinkel.
fs-chart-not-plotted = Uden svar, ikke vist
fs-category-political = Politiske drivkræfter
fs-category-economic = Økonomiske drivkræfter
fs-category-social = Sociale drivkræfter
fs-category-technological = Teknologiske drivkræfter
fs-category-environmental = Miljømæssige drivkræfter
fs-category-legal = Juridiske drivkræfter
fs-importance-1 = Meget uvigtig
fs-importance-2 = Uvigtig
fs-importance-3 = Forholdsvis uvigtig
fs-importance-4 = Forholdsvis vigtig
fs-importance-5 = Vigtig
fs-importance-6 = Meget vigtig
fs-preparedness-1 = Meget dårligt forberedt
fs-preparedness-2 = Dårligt forberedt
fs-preparedness-3 = Forholdsvis dårligt forberedt
fs-preparedness-4 = Forholdsvis godt forberedt
fs-preparedness-5 = Godt forberedt
fs-preparedness-6 = Meget godt forberedt
fs-role-managing_director = Administrerende direktør
fs-role-director = Direktør
fs-role-adviser = Rådgiver
fs-role-clinician = Kliniker (læge, sygeplejerske)
fs-role-other = Andet

## The PDF report

fs-pdf-method-scales = Deltagerne vurderede hver af de { $trends } trends, fordelt på { $themes } temaer, på to skalaer fra 1 til 6: hvor vigtig trenden bliver ({ $importance }), og hvor godt forberedt sektoren er i dag ({ $preparedness }). Alle svarede anonymt på deres egen telefon, så ingen blev påvirket af andre, og kunne ændre deres svar, indtil evalueringen blev afsluttet.
fs-pdf-method-blind-spot = En trend er i den strategiske blinde vinkel, når den gennemsnitlige vigtighed er over { $importance } og den gennemsnitlige parathed under { $preparedness }. Gabet er gennemsnitlig vigtighed minus gennemsnitlig parathed; et temas gennemsnitlige gab er det uvægtede gennemsnit af trendenes gab.
fs-pdf-participants-closed = { $ballots } deltagere svarede. Evalueringen åbnede { $created } og blev afsluttet { $closed }.
fs-pdf-participants-open = { $ballots } deltagere svarede. Evalueringen åbnede { $created } og er stadig åben: tallene kan ændre sig.
fs-pdf-importance-lower = vigtighed
fs-pdf-preparedness-lower = parathed
fs-pdf-none-in-blind-spot = Ingen trend er i den blinde vinkel.
fs-pdf-star-in-blind-spot = * i den blinde vinkel.
fs-pdf-col-trend = Trend
fs-pdf-col-gap = Gab
fs-pdf-col-theme = Tema
fs-pdf-col-average-gap = Gennemsnitligt gab
fs-pdf-hidden-note = Grupper med færre end fem svar er skjult for at beskytte anonymiteten.
fs-pdf-col-group = Gruppe
fs-pdf-col-ballots = Svar
fs-pdf-col-largest-gaps = Største gab
fs-pdf-col-theme-averages = Temagennemsnit
fs-pdf-by-role = Efter rolle
fs-pdf-by-experience = Efter års erfaring
fs-pdf-hidden-row = skjult for at beskytte anonymiteten
fs-years = { $years } år
