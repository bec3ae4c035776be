"""A farmers' cooperative (农民专业合作社) beyond what a village keeps: members' contributions and
trade posted to its books (财会〔2021〕37号), and the surplus returned by trade (2017 Law Art. 44),
drafted here and posted and paid through the distribution's machinery.
"""
