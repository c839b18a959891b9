## facts.yaml

source-Folkeregisteret = Folkeregisteret
source-Motorvognregisteret = motorvognregisteret
source-Grunnboken = grunnboka
source-NAV = NAV
fact-relation = Forhold til den hendinga gjeld
fact-children_under_18 = Talet på barn under 18 år
fact-deceased_received_benefits = Den avdøde fekk ytingar frå NAV
fact-owns_vehicle = Eig køyretøy
fact-owns_property = Eig fast eigedom
fact-moves_to_new_municipality = Flyttar til ein annan kommune
fact-serves_alcohol = Skal servere alkohol
fact-has_employees = Skal ha tilsette
