# Words around shipped content: journeys and rule explanations.

# Who does a task on a printed checklist (`samlet journeys plan`): "… (you)".
journey-plan-you = you
