# Dates, times and money as bokmål writes them.

date-long = { $day }. { $month } { $year }
date-short = { $day }.{ $month }.{ $year }
date-time = { $date } kl. { $time }
time-of-day = { $hour }.{ $minute }
month-1 = januar
month-2 = februar
month-3 = mars
month-4 = april
month-5 = mai
month-6 = juni
month-7 = juli
month-8 = august
month-9 = september
month-10 = oktober
month-11 = november
month-12 = desember
money-nok = { $amount }{"\u00A0"}kr
money-dkk = { $amount }{"\u00A0"}kr
money-eur = { $amount }{"\u00A0"}euro
money-other = { $amount }{"\u00A0"}{ $currency }
