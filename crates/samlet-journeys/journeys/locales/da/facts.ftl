## facts.yaml

source-Folkeregisteret = det norske folkeregister (Folkeregisteret)
source-Motorvognregisteret = køretøjsregistret
source-Grunnboken = tingbogen (grunnboken)
source-NAV = NAV
fact-relation = Forhold til den person, hændelsen gælder
fact-children_under_18 = Antal børn under 18 år
fact-deceased_received_benefits = Afdøde modtog ydelser fra NAV
fact-owns_vehicle = Ejer et køretøj
fact-owns_property = Ejer fast ejendom
fact-moves_to_new_municipality = Flytter til en anden kommune
fact-serves_alcohol = Skal servere alkohol
fact-has_employees = Skal have ansatte
