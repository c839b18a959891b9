## facts.yaml

source-Folkeregisteret = the National Population Register (Folkeregisteret)
source-Motorvognregisteret = the vehicle register
source-Grunnboken = the land register (grunnboken)
source-NAV = NAV
fact-relation = Relation to the person the event is about
fact-children_under_18 = Number of children under 18
fact-deceased_received_benefits = The deceased received benefits from NAV
fact-owns_vehicle = Owns a vehicle
fact-owns_property = Owns real property
fact-moves_to_new_municipality = Moves to another municipality
fact-serves_alcohol = Will serve alcohol
fact-has_employees = Will have employees
