## facts.yaml

source-Folkeregisteret = Folkeregisteret
source-Motorvognregisteret = motorvognregisteret
source-Grunnboken = grunnboken
source-NAV = NAV
fact-relation = Forhold til den hendelsen gjelder
fact-children_under_18 = Antall barn under 18 år
fact-deceased_received_benefits = Avdøde mottok ytelser fra NAV
fact-owns_vehicle = Eier kjøretøy
fact-owns_property = Eier fast eiendom
fact-moves_to_new_municipality = Flytter til en annen kommune
fact-serves_alcohol = Skal servere alkohol
fact-has_employees = Skal ha ansatte
