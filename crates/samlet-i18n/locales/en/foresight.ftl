# Foresight: the charts' words, the PESTEL categories, the two rating scales
# (bokmål verbatim from footnote 63 of the seed study) and the study's roles.

fs-chart-matrix-title = Strategic blind spot: importance and preparedness per trend
fs-chart-bars-title = Gap between importance and preparedness per trend
fs-chart-importance = Importance
fs-chart-preparedness = Preparedness
fs-chart-blind-spot = Strategic blind spot
fs-chart-gap = gap
fs-chart-no-ratings = no ratings
fs-chart-ballots = ballots
fs-chart-trends-of = trends of
fs-chart-in-blind-spot = In the blind spot
fs-chart-outside-blind-spot = Outside the blind spot
fs-chart-none-in-blind-spot = No trends in the blind spot.
fs-chart-not-plotted = Without ratings, not shown
fs-category-political = Political driving forces
fs-category-economic = Economic driving forces
fs-category-social = Social driving forces
fs-category-technological = Technological driving forces
fs-category-environmental = Environmental driving forces
fs-category-legal = Legal driving forces
fs-importance-1 = Very unimportant
fs-importance-2 = Unimportant
fs-importance-3 = Fairly unimportant
fs-importance-4 = Fairly important
fs-importance-5 = Important
fs-importance-6 = Very important
fs-preparedness-1 = Very poorly prepared
fs-preparedness-2 = Poorly prepared
fs-preparedness-3 = Fairly poorly prepared
fs-preparedness-4 = Fairly well prepared
fs-preparedness-5 = Well prepared
fs-preparedness-6 = Very well prepared
fs-role-managing_director = Managing director
fs-role-director = Director
fs-role-adviser = Adviser
fs-role-clinician = Clinician (doctor, nurse)
fs-role-other = Other

## The PDF report

fs-pdf-method-scales = The participants rated each of the { $trends } trends, grouped in { $themes } themes, on two scales from 1 to 6: how important the trend will be ({ $importance }) and how prepared the sector is today ({ $preparedness }). Everyone answered anonymously on their own phone, so that nobody was swayed by others, and could change their answers until the session was closed.
fs-pdf-method-blind-spot = A trend is in the strategic blind spot when its mean importance is above { $importance } and its mean preparedness below { $preparedness }. The gap is mean importance minus mean preparedness; a theme's average gap is the unweighted mean of its trends' gaps.
fs-pdf-participants-closed = { $ballots } participants gave a ballot. The session opened on { $created } and closed on { $closed }.
fs-pdf-participants-open = { $ballots } participants gave a ballot. The session opened on { $created } and is still open: the numbers can change.
fs-pdf-importance-lower = importance
fs-pdf-preparedness-lower = preparedness
fs-pdf-none-in-blind-spot = No trend is in the blind spot.
fs-pdf-star-in-blind-spot = * in the blind spot.
fs-pdf-col-trend = Trend
fs-pdf-col-gap = Gap
fs-pdf-col-theme = Theme
fs-pdf-col-average-gap = Average gap
fs-pdf-hidden-note = Groups with fewer than five ballots are hidden to protect anonymity.
fs-pdf-col-group = Group
fs-pdf-col-ballots = Ballots
fs-pdf-col-largest-gaps = Largest gaps
fs-pdf-col-theme-averages = Theme averages
fs-pdf-by-role = By role
fs-pdf-by-experience = By years of experience
fs-pdf-hidden-row = hidden to protect anonymity
fs-years = { $years } years
