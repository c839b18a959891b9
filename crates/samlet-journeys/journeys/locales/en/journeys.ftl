## agencies.yaml

agency-folkeregisteret = The National Population Register (Tax Administration)
agency-skatteetaten = The Norwegian Tax Administration
agency-nav = NAV (Labour and Welfare Administration)
agency-tingretten = The district court (Courts Administration)
agency-kommunen = The municipality (City of Oslo)
agency-statens-vegvesen = The Norwegian Public Roads Administration
agency-kartverket = The Norwegian Mapping Authority (land register)
agency-mattilsynet = The Norwegian Food Safety Authority
agency-bronnoysundregistrene = The Brønnøysund Register Centre
agency-arbeidstilsynet = The Norwegian Labour Inspection Authority
agency-helfo = Helfo (health economics administration)

## losing-a-relative.yaml

losing-a-relative-title = Losing a close relative
losing-a-relative-description = What you and the agencies must do after a death, in one place. Many tasks are done by the agencies themselves; you see when they are done.
losing-a-relative-death-registered-title = The death is registered in the population register
losing-a-relative-death-registered-description = The doctor reports the death, and the funeral home sends the notice of death. You do not need to do anything.
losing-a-relative-funeral-grant-title = Apply for a funeral grant
losing-a-relative-funeral-grant-description = NAV may cover part of the funeral costs. Apply within six months of the death.
losing-a-relative-probate-title = Choose private settlement, undivided estate or public administration at the district court
losing-a-relative-probate-description = Within 60 days the heirs must tell the district court whether they take over the estate for private settlement, or whether the surviving spouse keeps the estate undivided.
losing-a-relative-survivors-pension-title = Apply for a survivor's pension
losing-a-relative-survivors-pension-description = As a surviving spouse or partner you may be entitled to a survivor's pension or adjustment allowance from NAV.
losing-a-relative-childrens-pension-title = Apply for children's pension
losing-a-relative-childrens-pension-description = Children under 18 who have lost a parent are entitled to a children's pension.
losing-a-relative-benefits-stopped-title = Benefits to the deceased are stopped
losing-a-relative-benefits-stopped-description = NAV stops pensions and other benefits from the month after the death.
losing-a-relative-estate-tax-return-title = File the tax return for the estate
losing-a-relative-estate-tax-return-description = The Tax Administration sends a tax return for the deceased for the year of death. The heirs who took over the estate must check and file it.
losing-a-relative-vehicle-ownership-title = Change the owner of vehicles
losing-a-relative-property-title-title = Register the new owner of home and property

## moving.yaml

moving-title = Moving
moving-description = Once the move is reported to the population register, the agencies get the new address. Here is what remains.
moving-report-move-title = Report the move to the population register
moving-report-move-description = A move must be reported no later than eight days after you moved.
moving-address-updated-title = Your address is updated at the agencies
moving-new-gp-title = Choose a new GP
moving-new-gp-description = If you move to another municipality you keep your GP until you change. Change on helsenorge.no.
moving-school-kindergarten-title = Enrol the children in school and kindergarten in the new municipality
moving-vehicle-address-title = Check that your vehicle is registered at the new address

## new-parent.yaml

new-parent-title = New parent
new-parent-description = Congratulations! Here is what happens after the birth, what the agencies do themselves and what you must do.
new-parent-birth-registered-title = The birth is registered and the child has a national identity number
new-parent-name-title = Report the child's name
new-parent-name-description = The name must be reported to the population register within six months of the birth.
new-parent-paternity-title = Declare paternity or co-motherhood
new-parent-paternity-description = If you are not married, paternity or co-motherhood must be declared, ideally before the birth.
new-parent-child-benefit-title = Child benefit
new-parent-child-benefit-description = NAV grants child benefit automatically for most children born in Norway. You get a letter if you must apply yourself.
new-parent-parental-benefit-title = Apply for parental benefit
new-parent-parental-benefit-description = Apply no later than four weeks before your leave starts.
new-parent-kindergarten-title = Apply for a kindergarten place
new-parent-kindergarten-description = Apply before the main admission on 1 March to be entitled to a place from August the year the child turns one.

## offers.yaml

offer-child-benefit-after-birth-title = child benefit
offer-funeral-grant-after-death-title = a funeral grant

## starting-a-restaurant.yaml

starting-a-restaurant-title = Starting a restaurant
starting-a-restaurant-description = From registration to the first guest — what the Brønnøysund Register Centre, the Food Safety Authority, the municipality and the Tax Administration need from you.
starting-a-restaurant-register-business-title = Register the business in the Central Coordinating Register
starting-a-restaurant-register-business-description = The coordinated register notification gives an organisation number and registers in the Register of Business Enterprises and the VAT Register at once.
starting-a-restaurant-food-registration-title = Register with the Food Safety Authority
starting-a-restaurant-food-registration-description = Everyone who serves food must register with the Food Safety Authority before opening.
starting-a-restaurant-haccp-title = Set up internal control and a HACCP plan
starting-a-restaurant-serving-licence-title = Apply for a serving licence from the municipality
starting-a-restaurant-alcohol-licence-title = Apply for a licence to serve alcohol
starting-a-restaurant-alcohol-licence-description = The manager and deputy must have passed the knowledge test on the Alcohol Act.
starting-a-restaurant-smiley-inspection-title = First inspection by the Food Safety Authority (smiley)
starting-a-restaurant-employer-registration-title = Register as an employer
starting-a-restaurant-employer-registration-description = Before the first employee starts, the business must be in the employer register and file an a-melding every month.
starting-a-restaurant-hms-card-title = Set up health and safety work for staff
starting-a-restaurant-vat-title = File the VAT return
