# Why an access was refused: shown to the person asking (on pages and in API problems).
# Ids are deny- and the reason's code.

deny-no-basis = You have no power of attorney, guardianship or parental authority for this person.
deny-own-data = This is your own data: read it under /me.
deny-not-yet-valid = The power of attorney is not valid yet.
deny-expired = The power of attorney has expired.
deny-revoked = The power of attorney was revoked.
deny-came-of-age = Parental authority ended when the child came of age.
deny-action-not-granted = The power of attorney does not allow this action.
deny-no-consent = The person has not been asked for consent to share this data with you.
deny-consent-pending = The person has not answered the consent request yet.
deny-consent-declined = The person declined the consent request.
deny-consent-revoked = The person revoked the consent.
deny-consent-expired = The consent has expired.
deny-category-not-covered = The consent does not cover this category of data.
deny-giver-too-young = You must be at least { $min } years old to give a power of attorney.
deny-representative-too-young = A representative must be at least { $min } years old.
deny-mandate-to-self = You cannot give a power of attorney to yourself.
deny-no-scopes = Name at least one area or service the power of attorney covers.
deny-no-actions = Name at least one action (read or act).
deny-bad-period = The end date must be after the start date and in the future.
deny-no-support-scope = This token lacks the support scope.
deny-no-purpose = State the purpose and legal basis of the lookup.
deny-out-of-scope = The power of attorney does not cover the area or service this concerns.
deny-basis-unknown = No sharing basis with this id is registered for you.
deny-basis-not-accepted = The agency holding the data has not accepted the sharing basis.
deny-basis-revoked = The sharing basis was revoked.
deny-basis-not-yet-valid = The sharing basis is not valid yet.
deny-basis-expired = The sharing basis has expired.
deny-basis-purpose-mismatch = The stated purpose is not the purpose of the sharing basis.
