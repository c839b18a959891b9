# Dates, times and money as British English writes them.

date-long = { $day } { $month } { $year }
date-short = { $day }/{ $month }/{ $year }
date-time = { $date }, { $time }
time-of-day = { $hour }:{ $minute }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
money-nok = NOK{"\u00A0"}{ $amount }
money-dkk = DKK{"\u00A0"}{ $amount }
money-eur = €{ $amount }
money-other = { $currency }{"\u00A0"}{ $amount }
