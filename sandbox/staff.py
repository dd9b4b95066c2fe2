"""Sample staff of the Hưng Yên sample units, for trying the counter console by hand.

Each shows one case of the console: a clerk who may create accounts, a clerk of another
counter, a clerk whose only unit is not a counter (seed 003, problem 1), the province's
top administrator and the administrator of the commune Phố Hiến.
"""

from operator_console.rights import ADD_USER, CREATE_CITIZEN, RIGHTS

STAFF = (
    {"id_number": "033185001234", "full_name": "Phạm Thị Thúy Hà", "phone": "+84912345101",
     "birth_date": "1985-06-12", "password": "ThuNghiem#11",
     "units": ["S-X11953"], "rights": [CREATE_CITIZEN]},
    {"id_number": "033190001236", "full_name": "Vũ Thị Lan", "phone": "+84912345103",
     "birth_date": "1990-02-03", "password": "ThuNghiem#13",
     "units": ["S-X11983"], "rights": [CREATE_CITIZEN]},
    {"id_number": "033087001235", "full_name": "Đinh Văn Hậu", "phone": "+84912345102",
     "birth_date": "1987-09-30", "password": "ThuNghiem#12",
     "units": ["S-P33-STP"], "rights": [CREATE_CITIZEN]},
    {"id_number": "033180000001", "full_name": "Lê Thu Thảo", "phone": "+84912345301",
     "birth_date": "1980-08-08", "password": "ThuNghiem#21",
     "units": ["P33"], "rights": list(RIGHTS), "administers": ("province", "P33")},
    {"id_number": "033180000002", "full_name": "Trịnh Minh Quang", "phone": "+84912345302",
     "birth_date": "1980-11-20", "password": "ThuNghiem#22",
     "units": ["X11953"], "rights": [ADD_USER, CREATE_CITIZEN],
     "administers": ("unit", "X11953")},
)
