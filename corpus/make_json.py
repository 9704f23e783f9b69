#!/usr/bin/env python3
"""Regenerate the JSON forms of the sample corpus: corpus/jsonl/*.

The articles below are original and fictional, written for newsindex's
end-to-end tests; corpus/README.md and corpus/expected.tsv describe what the
extractors must find in each of them.  The output is reproducible byte for
byte: json.dumps with ensure_ascii=False, keys in the order written here, and
gzip with mtime=0.

    python3 corpus/make_json.py        # from the repository root
"""

import gzip
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "jsonl")

# --------------------------------------------------------------------------
# corpus/jsonl/wire-2024.jsonl: fields id, title, body, date, source, url,
# author.  One record carries its date as a Unix epoch number.
# --------------------------------------------------------------------------
WIRE = []

WIRE.append({
    "id": "nw-2024-0403-india-wheat",
    "title": "India expects record wheat harvest but keeps export ban in place",
    "body": """NEW DELHI (Newswire) - India expects to harvest a record wheat crop this season, but the government has no plans to lift a ban on wheat exports imposed in May 2022, officials said, as it seeks to rebuild state stockpiles and keep a lid on food prices ahead of the national elections.

The farm ministry forecast wheat output at 112 million tonnes for the current crop year, slightly above last year's estimate, after favourable weather in the main growing states of Punjab, Haryana, Uttar Pradesh and Madhya Pradesh. Harvesting began in central India last month and is now moving north.

"Our first duty is to the Indian consumer. The stocks in the central pool must be comfortable before we think about anything else," said Food Secretary Rajiv Khanna at a news conference in New Delhi on Monday.

Khanna said state agencies aimed to buy at least 30 million tonnes of wheat from farmers at the guaranteed minimum support price in the purchasing season that started on April 1, up from about 26 million tonnes last year.

India, the world's second-largest wheat producer after China, banned most exports after a heatwave in the spring of 2022 damaged the crop just as prices soared following Russia's invasion of Ukraine, which disrupted shipments from two of the world's biggest exporters. Traders said the ban had cost Indian farmers a share of markets in Bangladesh, Indonesia and the United Arab Emirates that would be hard to win back.

In Punjab's Ludhiana district, farmer Gurpreet Singh Sandhu was cautiously optimistic as he watched his combine harvester move through a field of golden wheat.

"The grain is good this year, heavy and bright. If the rain stays away for two more weeks, it will be the best crop I have had," Sandhu said, "but the price is fixed by the government, and the costs are not. Diesel, fertiliser, labour - everything went up."

Sandhu recalled that from 2012 to 2017 he had been able to sell part of his harvest to private traders who paid more than the state. "Now the traders are quiet. They know the government will not let the wheat go abroad," he said.

According to Meera Iyer, an agricultural economist at a research institute in Mumbai, the export ban has done what it was meant to do, keeping domestic wheat and flour prices in check, but at a cost.

"Every time India closes the door, buyers learn to look elsewhere, to Russia, Australia or Canada. You cannot switch a reputation on and off," Iyer noted.

She added that the government was likely to review the policy after the elections, once the size of the harvest and the level of state stocks became clear in June.

Wheat is a sensitive issue in Indian politics. Flour is a staple for hundreds of millions of people in the north of the country, and the government distributes free grain to about 800 million people under a food security programme that it has extended until 2028.""",
    "date": "2024-04-03",
    "source": "Newswire",
    "url": "https://newswire.example.com/asia/2024/04/03/india-wheat-harvest-export-ban",
    "author": "Newswire New Delhi bureau",
})

WIRE.append({
    "id": "nw-2024-0130-nigeria-naira",
    "title": "Nigerians feel the squeeze as naira slides and fuel prices bite",
    "body": """LAGOS (Newswire) - Nigeria's naira fell to a new record low against the dollar on the parallel market on Monday, deepening a cost-of-living crisis that has pushed food prices up by more than a third in a year and left many households skipping meals.

The currency has lost more than half its value since the government of President Bola Tinubu began overhauling the foreign exchange regime in June 2023, weeks after ending a petrol subsidy that had kept fuel among the cheapest in Africa. Petrol prices roughly tripled after the subsidy was scrapped in May 2023.

At the Mile 12 market in Lagos, the country's commercial capital, tomato trader Funmilayo Adeyemi said her customers were buying in smaller quantities than ever.

"Before, a woman would buy a full basket for her family. Now she buys five tomatoes, three peppers, and she begs me for a small discount," Adeyemi said. "And I cannot give it, because the transport to bring the tomatoes from the north costs double."

Inflation reached 28.9 percent in December, its highest level in almost three decades, according to the national statistics office. Food inflation was above 33 percent.

The central bank has promised to clear a backlog of foreign exchange demand from companies and airlines, and officials say the reforms, though painful, will attract investment and end years of distortions.

"The old system was not sustainable. We were borrowing to subsidise petrol that was being smuggled to Benin, Togo and Cameroon," Chiamaka Eze, an economist at a Lagos-based investment bank, told reporters at a briefing yesterday. "But reform without protection for the poor is a very hard sell."

Eze said the government needed to speed up promised cash transfers to the poorest families and to do more to bring down food prices, which have also been pushed up by insecurity in farming areas of the north-west and the Middle Belt.

Labour unions have threatened a nationwide strike over wages. The minimum wage of 30,000 naira a month, set in 2019, is now worth less than 25 dollars at the parallel market rate. Talks with the government on a new minimum wage are due to resume on January 30, 2024, a union official said.

Nigerians have been here before. In the 1980s a collapse in oil prices triggered a similar crisis and a long period of austerity, an experience that many older Nigerians recall as the beginning of the end of the country's middle class.

"My father was a civil servant in Kaduna in 1986, when they devalued the naira the first time," said Ibrahim Musa, a 54-year-old taxi driver in Abuja. "He told me: 'Ibrahim, the money in your pocket is only paper.' I did not believe him then.\"""",
    "date": 1706608800,
    "source": "Newswire",
    "url": "https://newswire.example.com/africa/2024/01/30/nigeria-naira-cost-of-living",
    "author": "Newswire Lagos bureau",
})

WIRE.append({
    "id": "nw-2024-0222-australia-bushfire",
    "title": "Thousands flee as bushfire races through western Victoria",
    "body": """MELBOURNE (Newswire) - Thousands of people were ordered to leave their homes in the Australian state of Victoria on Thursday as a fast-moving bushfire burned through farmland and forest near the Grampians National Park, fanned by hot northerly winds ahead of a cool change.

The fire, which started on Tuesday in rugged country west of the town of Ararat, had burned more than 20,000 hectares by late Thursday and destroyed at least six homes and a number of sheds and fences, emergency officials said. There were no reports of deaths.

"Do not wait and see. If you are in the warning area and you have not left, the time to leave is now," Emergency Management Commissioner Rachel Dunstan told reporters in Melbourne. "Conditions this afternoon are as dangerous as we have seen since the Black Summer fires of 2019 and 2020."

The commissioner said more than 500 firefighters, supported by bulldozers and aircraft including a Boeing 747 converted to carry water and retardant, were working to contain the fire before the wind change expected in the evening, which could push the fire front in a new direction.

The large air tanker, leased from a company in the United States for the Australian summer, can drop more than 70,000 litres of retardant in a single run. Its American pilot, Tom Becker, who has flown firefighting missions in California and Canada, said the terrain around the Grampians was among the most difficult he had worked in.

"The ranges make their own weather," Becker said. "You come over a ridge and the wind is completely different from what it was a minute ago.

"The crews on the ground are the ones who put fires out. We just try to slow it down enough to give them a chance."

Graham McAllister, who runs sheep on 800 hectares near the small town of Pomonal, stayed to defend his house with his two sons, a water tank and a pump.

"We saw the smoke at lunchtime and by three o'clock it was coming over the hill like a train," McAllister told the Western Tribune by phone. "We lost the hay shed and the back paddocks, but the house is standing. A lot of people round here were not so lucky."

Scientists say Australia's fire seasons have grown longer and more severe as the climate has warmed. The Black Summer fires, which burned more than 24 million hectares across the south-east of the country, led to a royal commission that recommended a national fleet of firefighting aircraft, so that states would rely less on planes leased from North America during their own fire seasons.

Dunstan warned that the danger would not end with the cool change. "We have many weeks of summer left, and the landscape in the west of the state is very dry," she said.

Relief centres have been opened in Ararat and Stawell. Residents can check warnings on the state emergency app or call the information line on 1800 226 226.""",
    "date": "2024-02-22T19:30:00+11:00",
    "source": "Newswire",
    "url": "https://newswire.example.com/asia-pacific/2024/02/22/victoria-bushfire-grampians",
    "author": "Newswire Melbourne bureau",
})

WIRE.append({
    "id": "nw-2024-0212-jordan-water",
    "title": "Jordan races to build desalination plant as aquifers run dry",
    "body": """AMMAN (Newswire) - Jordan, one of the most water-scarce countries in the world, will sign contracts for a long-delayed plant to desalinate water from the Red Sea and pump it hundreds of kilometres north to Amman within months, the water minister said on Sunday.

The project, which would supply about 300 million cubic metres of drinking water a year, is the largest infrastructure scheme in the kingdom's history and is expected to cost more than 2 billion dollars. Officials say it is the only way to keep taps running in a country where many households already receive piped water just once a week.

"We have reached the end of what our groundwater can give us. Some aquifers are falling by more than a metre a year," Water Minister Khalid Al-Mahmoud said, speaking at a conference in Amman. "Desalination is no longer a choice for Jordan. It is a question of survival."

Al-Mahmoud said the plant, to be built near the port of Aqaba, would be powered largely by solar energy to cut its running costs and emissions, and that the pipeline would be completed in stages by 2028.

Jordan's population has more than doubled since 2004, swollen by waves of refugees from Iraq and, since 2011, from the civil war in Syria. More than 600,000 Syrian refugees are registered in the country, according to United Nations figures, many of them in the north, where water is scarcest.

The kingdom receives a share of water from Israel each year under the 1994 peace treaty between the two countries, and bought additional volumes in recent years. But regional tensions have made officials wary of relying on their neighbour.

"Water is the most political resource there is in this region," said Rania Haddad, a researcher at a policy institute in Amman who has studied the Jordan River basin for two decades. "A country that makes its own water has more freedom. That is what this plant is really about."

Haddad noted that farmers in the Jordan Valley, who use around half of the kingdom's water, would also have to adapt. Many still flood their fields in the old way, she said, and a shift to drip irrigation and treated wastewater could save as much water as a smaller desalination plant.

In the Zarqa area north-east of the capital, Abu Saleh, a father of six who did not want to give his full name, said his family's water tank was filled every Thursday and had to last a week.

"We wash with a bucket, we do not water the olive tree anymore, we buy bottles for the children to drink," he said. "If the new water comes, even in five years, it will be good for my grandchildren."

International lenders and the governments of the United States and several European countries have pledged grants and loans for the project. The ministry said the winning consortium, led by a French company, would operate the plant for 26 years before handing it over to the state.""",
    "date": "2024-02-12",
    "source": "Newswire",
    "url": "https://newswire.example.com/mideast/2024/02/12/jordan-aqaba-amman-desalination",
    "author": "Newswire Amman bureau",
})

WIRE.append({
    "id": "nw-2024-0124-germany-rail-strike",
    "title": "German train drivers begin six-day strike, longest in railway's history",
    "body": """BERLIN (Newswire) - German train drivers walked out on Wednesday at the start of a six-day strike, the longest in the history of the national railway, bringing most long-distance and regional passenger services to a halt and threatening supplies to factories that depend on rail freight.

The train drivers' union called the strike, which is due to last until Monday evening, after talks on pay and working hours broke down for the fourth time since November. The union is demanding that the working week for shift workers be cut from 38 to 35 hours without loss of pay.

Holger Brandt, the union's deputy chairman, said: "We did not want this strike. But the employer has spent three months offering us everything except what we asked for. Our members work nights, weekends and holidays, and they want time with their families."

The railway said it would run about a fifth of its usual long-distance timetable, mostly on the busiest routes between Berlin, Hamburg, Frankfurt and Munich, and that cross-border services to Austria and Switzerland would be largely cancelled. Freight operators warned of delays for the chemical and car industries.

A spokeswoman for the railway, Katrin Vogt, said the union's demands would require thousands of additional drivers at a time when the company could not find enough staff. "There is no one on the labour market we could hire to fill those hours," she told reporters at Berlin's central station. "This strike will not create a single new train driver."

The transport minister has urged both sides to accept mediation. Business groups said the cost to the economy could reach one billion euros.

At Cologne's main station, normally one of the busiest in the country, the departure boards showed row after row of cancellations. Commuter Sabine Krüger, who travels daily to an office in Düsseldorf, said she had booked a car-share but had little hope of getting to work on time.

„Ich verstehe die Lokführer, aber irgendwann reicht es“, Krüger said - I understand the drivers, but at some point enough is enough. She recalled that she had already missed days of work during the strikes in December and during a one-day transport strike last March.

The dispute is one of a series of labour conflicts in Germany as unions seek to make up for the high inflation of the past two years, which eroded real wages. Pilots, airport staff and public transport workers have also held strikes.

Economists at a Munich research institute said a long rail strike could cut industrial output in the first quarter, when the economy is already stagnating.

Brandt dismissed criticism that the union was holding the country hostage. "We are asking for what many other sectors already have. A 35-hour week is not a revolution in Germany," he insisted in a post on the union's website, where he also wrote that members were ready to strike again "as often as necessary".""",
    "date": "Wed, 24 Jan 2024 08:00:00 +0100",
    "source": "Newswire",
    "url": "https://newswire.example.com/europe/2024/01/24/germany-rail-strike-six-days",
    "author": "Newswire Berlin bureau",
})

WIRE.append({
    "id": "nw-2024-0130-chad-sudan-refugees",
    "title": "Chad struggles to shelter half a million Sudanese refugees as funds run short",
    "body": """ADRE, Chad (Newswire) - The camps along Chad's eastern border with Sudan are running out of water, food and space, aid agencies warned, as refugees fleeing the war in Darfur continue to arrive at a rate of several hundred a day.

More than 550,000 people have crossed into Chad since fighting broke out in Sudan in April 2023, according to the United Nations refugee agency, joining roughly 400,000 Sudanese who had already fled earlier waves of violence in Darfur that began in 2003. Most are women and children.

"We are seeing people who walked for a week with nothing, who saw their homes burned and their men killed. They arrive here and we can give them a plastic sheet and some sorghum, and sometimes not even that," said Marc Olsen, the emergency coordinator for a Norwegian aid group in eastern Chad.

Olsen told reporters in N'Djamena yesterday that the humanitarian response plan for Chad for this year was less than 5 percent funded. In an appeal issued on 30 Jan 2024, aid agencies asked donors for more than 630 million dollars to support refugees and the Chadian communities hosting them.

The Chadian government has given land for new camps and kept its border open, but officials say the country, one of the poorest in the world, cannot carry the burden alone. The eastern provinces of Ouaddai and Wadi Fira were already short of water and food before the refugees came.

"Chad has never closed its door to our Sudanese brothers and sisters. But the people of Adre are also hungry," Fatimé Hassan, a deputy governor of Ouaddai province, told the Sahel Tribune. "When a village of 5,000 people has 100,000 neighbours overnight, the wells are empty by noon."

At a transit site on the edge of Adre, Hawa Adam, 34, sat with her five children under a shelter made of branches and cloth. She said she had fled El Geneina, the capital of West Darfur, in June, after armed men went from house to house killing people from her community.

"I do not know where my husband is. I do not know if he is alive," Adam said. "My children ask me every day when we go home. I tell them: when it is safe. But I do not believe it will be safe."

Aid workers say malnutrition rates among children arriving from Sudan are well above emergency thresholds, and they fear outbreaks of cholera and measles as the camps grow. The rainy season, which usually begins in June, cut off roads last year and left some camps reachable only by air.

Olsen warned that without new money, food rations would be cut again from March. "The world has many crises, we know that. But this one is happening in silence," he said.

Talks between Sudan's warring parties in Jeddah, hosted by Saudi Arabia and the United States, have stalled since December.""",
    "date": "January 30, 2024",
    "source": "Newswire",
    "url": "https://newswire.example.com/africa/2024/01/30/chad-sudan-refugees-adre",
    "author": "Newswire N'Djamena bureau",
})

WIRE.append({
    "id": "nw-2024-0219-japan-ukraine-reconstruction",
    "title": "Japan pledges private-sector push for Ukraine's reconstruction at Tokyo conference",
    "body": """TOKYO (Newswire) - Japan on Monday promised to help Ukraine clear mines, rebuild power grids and restore farmland, as more than 300 Japanese and Ukrainian companies and officials met in Tokyo to look for business opportunities in the war-torn country's eventual recovery.

Government and business leaders signed 56 cooperation agreements at the one-day conference, covering areas from debris removal and demining equipment to hydrogen energy, agriculture and digital services, organisers said.

“Japan knows what it means to rebuild a nation from ruins,” said Deputy Foreign Minister Akiko Tanabe in her opening speech. “We did it after 1945, and we did it again in the towns of the Tohoku coast after the earthquake and tsunami of March 2011. That experience belongs to the Ukrainian people too.”

Japan, which under its postwar constitution does not supply lethal weapons to countries at war, has focused its support for Ukraine on financial, humanitarian and reconstruction aid. Officials said Tokyo had committed more than 12 billion dollars in aid since Russia's invasion, including budget support and guarantees for loans.

Tanabe said Japanese companies would also help Ukraine rebuild its power network, much of which has been damaged by Russian missile and drone strikes. Japan's development agency is supplying transformers and gas turbines and training Ukrainian engineers.

Ukrainian Deputy Prime Minister Oleksandr Hrytsenko, who led a delegation of more than 100 officials and business people, thanked Japan for its support and urged Japanese investors not to wait for the end of the war.

“The reconstruction has already started,” he said, “and every company that comes now, while it is difficult, will be remembered as a friend when it becomes easy.”

Hrytsenko noted that a quarter of Ukraine's farmland was contaminated with mines or unexploded shells, according to government estimates. Japanese demining machines and detection equipment, first supplied last December, had proved effective in the field, he said.

For Japanese companies, the risks remain considerable. Kenta Morishita, a senior executive at a Japanese trading house that signed an agreement to supply modular housing, stated that his company would start with small projects that could be insured by Japan's export credit agency.

“We are not naive about the security situation,” Morishita said. “But if we wait until everything is perfect, other countries will have done the work and made the relationships.”

Relations between Tokyo and Moscow have deteriorated sharply since the invasion. Russia broke off talks on a peace treaty with Japan in March 2022 after Tokyo joined Western sanctions, and has since held military exercises on the disputed Kuril Islands, which Japan calls the Northern Territories.

Analysts said the conference was also meant to show that Japan's support for Ukraine would not weaken if attention in the United States and Europe shifted elsewhere.""",
    "date": "2024-02-19T18:00:00+09:00",
    "source": "Newswire",
    "url": "https://newswire.example.com/asia/2024/02/19/japan-ukraine-reconstruction-conference",
    "author": "Newswire Tokyo bureau",
})

WIRE.append({
    "id": "nw-2024-0318-brazil-soy-harvest",
    "title": "Drought trims Brazil's soybean harvest as farmers count losses in Mato Grosso",
    "body": """SORRISO, Brazil (Newswire) - Brazil's soybean harvest will fall short of last year's record after hot, dry weather hit crops in the center-west, the national crop agency said on Friday, cutting its forecast for the fourth month in a row and raising concerns about debt among farmers in the country's biggest producing state.

The agency now expects a crop of 146.9 million tonnes, down about 5 percent from the previous season, with the steepest losses in Mato Grosso, where planting was delayed by irregular rains and the crop then baked in a heatwave in November and December.

Brazil is the world's largest producer and exporter of soybeans, having overtaken the United States in 2020, and it sells most of its crop to China, where the beans are crushed for animal feed and cooking oil.

Rodrigo Almeida, who farms 3,200 hectares near Sorriso, in the heart of Mato Grosso's soy belt, said his yields were down by almost a quarter.

"I planted twice on some fields, because the first seeds dried in the ground. Then in December we had 40 days with almost no rain and temperatures of 40 degrees," Almeida said. "You cannot make up for that. The plant simply stops."

Almeida explained that many farmers had bought fertiliser and seed on credit when prices were high and must now repay loans with a smaller crop sold at lower prices, as global soybean prices have fallen from the peaks of 2022. Several large grain producers in the state have filed for bankruptcy protection in recent months, he added.

According to Luciana Ferreira, a senior analyst at a Sao Paulo agribusiness consultancy, the weather shock was linked to the El Nino phenomenon, which tends to bring drought to the center-north of Brazil and heavy rain to the south.

"The paradox of this season is that Mato Grosso lost and Rio Grande do Sul, in the south, had too much water," Ferreira said. "Brazil as a whole still produced an enormous crop. But the losses fell on the farmers with the highest costs."

Ferreira, the consultancy's senior analyst, said Argentina, which is recovering from a severe drought last year, was expected to harvest a much larger soybean crop from April and would compete with Brazil for buyers in China and Europe.

Chinese buyers have taken advantage of the lower prices to book cargoes for shipment in May and June, traders said, and Brazilian ports have been running at near-record volumes despite the smaller crop.

The harvest is now about two-thirds complete nationally. In Mato Grosso, where it is almost finished, farmers are already planting a second crop of corn in the same fields, hoping for better rain before the dry season begins.

"Every farmer in Mato Grosso is an optimist, otherwise we would have stopped a long time ago," Almeida said. "This year we lose. Next year, God willing, we plant again.\"""",
    "date": "2024-03-18",
    "source": "Newswire",
    "url": "https://newswire.example.com/americas/2024/03/18/brazil-soy-harvest-mato-grosso",
    "author": "Newswire Sao Paulo bureau",
})

WIRE.append({
    "id": "nw-2024-0206-turkey-quake-anniversary",
    "title": "A year after the earthquake, Antakya mourns and waits to be rebuilt",
    "body": """ANTAKYA, Turkey (Newswire) - Thousands of people gathered in the ruined centre of Antakya before dawn on Tuesday, holding candles and carnations, to mark one year since the earthquake that killed more than 50,000 people in southern Turkey and thousands more in neighbouring Syria.

At 4:17 a.m., the moment the first magnitude 7.8 quake struck on Feb. 6, 2023, the crowd fell silent. Then some began to chant against officials they blame for the collapse of thousands of buildings that should have withstood the shaking.

Zeynep Arslan, a 41-year-old teacher who lost her parents and her brother when their apartment block collapsed, said she had come to stand in front of the empty lot where the building had been.

"For one year I have been asking the same question: why did our building fall when the one across the street is still standing?" Arslan said. "Nobody has answered me. The contractor is free. My parents are under this ground."

The earthquakes, a 7.8 tremor followed hours later by a 7.5 shock, devastated 11 provinces. In Hatay province, of which Antakya is the capital, entire neighbourhoods were flattened, and much of the ancient city's historic centre, with its churches, mosques and bazaars, was destroyed.

The government says it has built tens of thousands of new homes and aims to hand over 200,000 by the end of 2024. President Recep Tayyip Erdogan visited the region on Monday to open a housing project. But across Hatay, hundreds of thousands of people are still living in container cities and tents.

Prof. Murat Koç, a structural engineer at a university in Ankara who inspected damaged buildings after the disaster, said the failures were largely man-made.

"Turkey has had good building codes since 1999, after the Izmit earthquake. The problem was never the rules on paper," Koç said. "The problem was inspection, and the amnesties that legalised millions of buildings that broke those rules."

The engineer argued that the rebuilding now under way must not repeat those mistakes in the rush to house people. "Speed is important, but if we build fast and badly, we are only preparing the next tragedy," he warned.

Prosecutors have opened investigations into thousands of people, including contractors and local officials, and some trials have begun. Relatives of the victims say progress has been slow and that few senior officials have been charged.

In the Syrian province of Idlib, across the border, the anniversary was marked in camps for displaced people where the earthquake compounded the suffering of a population already uprooted by more than a decade of war. Aid groups say reconstruction there has barely started.

Back in Antakya, Ahmet Doğan, who ran a shop selling kunefe, the city's famous cheese pastry, before the quake, has reopened in a prefabricated unit on the edge of town.

"The city was 2,000 years old. It will not come back in a year, or in five," Doğan said. "But people come and eat kunefe, and for ten minutes they are in the old Antakya again."

Turkey's disaster agency said more than 1,600 aftershocks had been recorded in the region over the past year.""",
    "date": "2024-02-06T04:17:00+03:00",
    "source": "Newswire",
    "url": "https://newswire.example.com/europe/2024/02/06/turkey-earthquake-anniversary-antakya",
    "author": "Newswire Istanbul bureau",
})

# --------------------------------------------------------------------------
# corpus/jsonl/features.jsonl.gz: the field aliases real dumps use
# (headline, text, published, link, publisher, byline; one guid).
# --------------------------------------------------------------------------
FEATURES = []

FEATURES.append({
    "headline": "The chef who brought Kyoto to a Lyon bouchon",
    "text": """LYON, France - The dining room of Le Petit Mâchon seats 28 people at tables covered in red-and-white checked cloth, as Lyon's traditional bouchons always have been. The menu still offers andouillette and quenelles. But the broth that the quenelles swim in tastes faintly, unmistakably, of kombu and bonito.

"My grandmother would have been horrified," says Amélie Rousseau, 39, laughing in the small kitchen she has run since 2019. "Then she would have asked for a second bowl."

Rousseau grew up above a butcher's shop in the Croix-Rousse district and trained in classic French cooking before, at 24, she took a job washing dishes in a kaiseki restaurant in Kyoto. She stayed in Japan for five years, from 2009 to 2014, and came back speaking Japanese, she says, "with a kitchen accent".

What she learned there was not a set of recipes but a way of thinking about ingredients. "In Japan, the cook's job is to take things away until only the essential is left," she explains. "In Lyon we are taught to add: butter, cream, wine, another sauce. I wanted to find the place where those two ideas meet."

The place, it turns out, is a bowl of pike quenelle in a light dashi made with French seaweed from Brittany, or a pork terrine served with pickled turnips in the manner of a Kyoto tsukemono shop. Rousseau buys her vegetables from two farms in the Monts du Lyonnais and her soy sauce from a small brewer in Japan whom she met during her first year abroad.

Not everyone was convinced at first. When Le Petit Mâchon opened, one of the city's old-guard restaurant critics wrote that it was "neither a bouchon nor anything else". A few regulars from the previous owner's time stopped coming.

Others stayed, and new customers arrived, many of them young. In 2022 the restaurant was listed in a national guide for the first time. Rousseau still refuses to call her cooking fusion. "Fusion is when you cannot decide," she says. "I have decided. This is a bouchon. It is just a bouchon that has travelled."

Her sous-chef, Kenji Moriyama, came to Lyon from Osaka in 2021 to study French pastry and never left. He says the two cuisines have more in common than people think.

"Both are about respect for seasons and for the product. The French talk about terroir, we talk about shun, the moment when an ingredient is at its best," Moriyama says. "Amélie understands this better than many Japanese cooks I know."

Rising costs have been hard on small restaurants across France, and Rousseau admits that the past two years have been difficult. Energy bills for the kitchen tripled at one point, and she raised the price of her lunch menu from 22 to 26 euros, something she says she did "with a heavy heart".

She has no plans to expand. Offers to open a second restaurant in Paris, or a branch in Tokyo, have been politely declined.

"Twenty-eight covers is the right size. I can see every plate that leaves the kitchen," Rousseau says. "When you cannot do that anymore, you are running a business, not cooking.\"""",
    "published": "2023-12-02T09:00:00Z",
    "link": "https://weekend-tribune.example.fr/food/2023/12/02/lyon-bouchon-kyoto-chef",
    "publisher": "The Weekend Tribune",
    "byline": "By Émilie Laurent",
})

FEATURES.append({
    "headline": "Eleven pupils and a stove: the last school in a Siberian village",
    "text": """KOLTSOVKA, Russia - At half past eight in the morning it is still dark in Koltsovka, a village of 240 people on the edge of the taiga in Russia's Tomsk region, and Galina Sokolova has already lit the stove in the classroom.

The two-storey wooden school was built in 1972 for 180 pupils. This year it has eleven, from the ages of seven to fifteen, taught by four teachers in three rooms. The rest of the building is closed to save on heating.

«We are the last light in the village in the morning», Sokolova says. «When the school goes, the village goes. Everyone here knows it.»

Sokolova, 58, has taught Russian language and literature in Koltsovka for 34 years. She remembers when the collective farm, in Soviet times, employed most of the village and the school had two classes in every year group. The farm closed in the 1990s, and families with children gradually moved to the district centre or to Tomsk, the regional capital, 200 kilometres away.

Across Russia, thousands of small rural schools have been closed or merged over the past two decades as part of an effort to cut costs and, officials say, to raise standards by concentrating pupils in larger schools with better equipment. Critics say the closures have accelerated the decline of the countryside.

Last September the district administration proposed closing the Koltsovka school and sending the children by bus to a larger school in the neighbouring village, 38 kilometres away on a road that is often blocked by snow in winter. Parents wrote a letter of protest signed by almost every adult in the village, and the plan was postponed for a year.

Andrei Volkov, whose daughter and son both attend the school, drives a timber truck for a living and knows the road well.

«In January it was minus 46 for a week. I would not send my children on that road in a school bus at seven in the morning», Volkov told the regional newspaper Tomsk Tribune. «If they close the school, we will have to leave. And then who will live here?»

The district's head of education, Yelena Morozova, said in a written reply to questions that no final decision had been taken. According to Morozova, the cost of keeping the school open is now more than four times the regional average per pupil. She wrote that "the quality of education and the safety of the children" would be the main criteria.

In the classroom, meanwhile, lessons go on. Because there are so few pupils, children of different ages often learn together. Older ones help younger ones with reading; the teachers say the arrangement has advantages that large schools cannot offer.

The youngest pupil, seven-year-old Dasha, is learning to write her name in careful, looping letters. Her grandmother, who grew up in a neighbouring village that disappeared from the map in the 1980s, was once taught at the same desk.

«I tell the children: you are not the last, you are the first of something new», Sokolova said yesterday, as she banked the stove for the night. «I am not sure I believe it. But children should hear it.»""",
    "published": "20 February 2024",
    "link": "https://weekend-tribune.example.fr/world/2024/02/20/siberia-village-school",
    "publisher": "The Weekend Tribune",
    "byline": "By Natalia Orlova",
})

FEATURES.append({
    "headline": "Brazil's coffee growers pray for a mild winter after years of boom and bust",
    "text": """GARCA, Brazil - The coffee harvest is in full swing on the red hills of western Sao Paulo state. Teams of pickers strip the branches by hand onto sheets spread beneath the trees, and the yards of every farm are carpeted with beans drying in the winter sun.

For Antonio Carvalho, whose family has grown coffee here for three generations, the crop this year looks good. What keeps him awake at night is the sky.

"Coffee is a plant that remembers everything," Carvalho said, walking between rows of trees planted by his father. "One night of frost, and you pay for it for three years. I was a boy in July 1975, and I remember my father standing in this field in the morning, with every leaf black, crying like a child."

The great frost of 1975 destroyed more than half of the trees in Parana state and much of Sao Paulo's crop and sent world coffee prices to record levels. Brazil's share of the world market has never fully recovered, as growers in Colombia, Central America and Africa expanded production to fill the gap.

Brazil is still the world's largest producer, and coffee is still one of its most important exports, but the industry is going through a difficult period. Prices on the New York market have fallen sharply since the start of the year, after a severe drought in 1985 had sent them soaring, and the collapse of the International Coffee Organization's export quota talks earlier this year has left producers fearing a free-for-all.

Paulo Mendes, a coffee exporter in the port city of Santos, said the failure of the quota negotiations was bad news for Brazilian growers, who had hoped to keep their share of a regulated market.

"Without quotas, everybody sells as much as they can, and the price goes to the floor," Mendes said. "Brazil can survive that better than most, because we are big. But the small grower in Minas Gerais or Parana will suffer."

The government's coffee institute, which sets minimum prices for growers and regulates exports, has announced that it will buy part of the harvest to support prices. But with Brazil's foreign debt at more than 100 billion dollars and inflation running again after the failure of last year's Cruzado Plan, many farmers doubt that the government has the money to keep its promises.

Carvalho, who also grows oranges and sugar cane to spread his risk, said he would not plant more coffee trees this year. He is sending his son to study agronomy in Campinas. "The future is in knowing more, not in planting more," he said.

Among the pickers on his farm is Maria das Graças Silva, 45, who travels from the poor north-east every year for the harvest season, leaving her younger children with her mother.

"I have picked coffee in this region for twenty years. The work is hard, but the pay is better than at home," she said. "When I was young we came on the back of a truck. Now there is a bus. That is progress."

Forecasters are watching cold fronts moving up from Argentina. So far this winter, the frosts have stayed in the south.""",
    "published": "Sun, 14 Jun 1987 12:00:00 -0300",
    "link": "https://weekend-tribune.example.fr/archive/1987/06/14/brazil-coffee-frost",
    "publisher": "The Weekend Tribune",
    "byline": "By Ricardo Pires",
})

FEATURES.append({
    "headline": "From a Lagos bedroom to the world's stages: how Afrobeats found its sound",
    "text": """LAGOS, Nigeria - The studio where Kemi Okafor has produced some of the most streamed songs in Africa is a converted bedroom in a two-storey house in Surulere, its walls lined with foam and egg boxes, a generator humming in the yard for when the power goes off, which is often.

"People come from London, from Atlanta, from Johannesburg, and they expect a palace," Okafor says. "Then they see this room and they understand. The sound comes from here, from this noise, from this city. You cannot buy it."

Okafor, 33, is one of a generation of Nigerian producers and artists who have turned Afrobeats, a blend of West African highlife and juju with hip-hop, dancehall and R&B, into one of the fastest-growing genres in the world. Nigerian songs now fill stadiums in Europe and North America and regularly appear in the charts in Britain and the United States.

She started making beats on a borrowed laptop in 2012, while studying accounting at university. Her breakthrough came in March 2022, when a song she produced for the singer Tobi Adewale went viral on social media and was played more than 300 million times within a year.

Adewale, 26, remembers recording the vocals in one take at two in the morning. "I was tired, Kemi was tired, the generator was making this noise," he recalls. "She said: 'Leave it. That's the one.' I argued with her for ten minutes. She was right."

The success has brought money and attention to the Lagos music scene, but also new pressures. Foreign record labels have opened offices in the city and are signing young artists to deals that some in the industry consider unfair.

According to Adaeze Nwosu, a music lawyer who advises young musicians, many artists sign away the rights to their songs for advances of a few thousand dollars. "The labels know that a young artist from Mushin or Ajegunle has never seen that much money. They are not lying, exactly. They are just not explaining," Nwosu says.

Nwosu noted that Ghana and South Africa, which have their own thriving music industries, faced similar problems, and that lawyers in the three countries had begun sharing model contracts and advice.

The sound itself keeps changing. Younger producers are borrowing from amapiano, the South African house style, and from the street sounds of Lagos. Okafor says she listens to old records by Fela Kuti and King Sunny Ade as much as to the latest hits.

"Afrobeats is not one thing. It is a conversation between Lagos and Accra and Johannesburg and London," she says. "If it stops moving, it dies."

For Adewale, who grew up in a one-room apartment in Ajegunle with his mother and four siblings, the music has already changed everything. He bought his mother a house last year.

"My mother still does not understand what I do," he says, laughing. "She asks me when I will get a real job. I tell her: Mama, this is the realest job in Nigeria.\"""",
    "published": "2024-03-02T12:00:00Z",
    "link": "https://weekend-tribune.example.fr/culture/2024/03/02/lagos-afrobeats-producers",
    "publisher": "The Weekend Tribune",
    "byline": "By Chidi Obi",
})

FEATURES.append({
    "guid": "weekend-tribune-seoul-night-market",
    "headline": "After midnight at Seoul's oldest market",
    "text": """SEOUL - By eleven at night the office workers have gone home, and the long food alleys of Gwangjang Market belong to a different crowd: taxi drivers on their break, students after exams, tourists with phones held high, and cooks who have been on their feet since the afternoon.

Choi Mi-ra has been frying bindaetteok, the crisp mung bean pancakes the market is famous for, at the same stall for 31 years. She grinds the soaked beans on a stone mill in front of her customers, pours the batter into a pool of oil and presses it flat with a steel spatula.

"My mother-in-law ran this stall before me, and she taught me that the pancake must be thin at the edges and soft in the middle," Choi said, without stopping work. "Thirty-one years, and I still make a bad one sometimes. Then I eat it myself."

Gwangjang Market opened in 1905, making it one of the oldest permanent markets in Korea, and for most of its history it was a place to buy fabric, bedding and dried goods. The food alleys grew up to feed the merchants. In recent years, helped by television shows and social media, they have become one of the city's best-known attractions, drawing visitors to the South Korean capital from Japan, China, Southeast Asia and further afield.

At the next counter, Yuki Tanaka, a 28-year-old nurse from Osaka, was photographing a plate of raw beef tartare with pear and egg yolk before eating it.

"In Japan we also have markets like this, but they close early. Here the city never sleeps," Tanaka said. "I came for two days and now I have changed my ticket to stay for five."

Not all the attention is welcome. Some stallholders complain that rents have risen, and the market was criticised after videos showing overpriced portions went viral. Local officials have since asked vendors to display prices clearly in Korean, English, Japanese and Chinese.

Park Dong-hyun, who heads the merchants' association, said the market had to balance the needs of tourists with those of the older customers who have shopped there for decades.

"We are not a theme park. Grandmothers still come here to buy silk for a wedding," Park said. "If they stop coming, the market loses its soul, and then the tourists will stop coming too."

Park added that the number of foreign visitors had more than recovered since the pandemic, when the alleys were almost empty for two years. The merchants' association plans to extend opening hours for some stalls during the summer.

Back at her stove, Choi slid another pancake onto a plate and cut it into quarters with scissors.

"People ask me when I will retire," she said. "I tell them: when the market closes. So, never.\"""",
    "link": "https://weekend-tribune.example.fr/travel/seoul-gwangjang-night-market",
    "publisher": "The Weekend Tribune",
    "byline": "By Hana Yoon and Marc Lefort",
})

# --------------------------------------------------------------------------
# corpus/jsonl/single.json: one object (standard field names).
# --------------------------------------------------------------------------
SINGLE = {
    "title": "Soviet Union pulls out of Los Angeles Olympics, citing security",
    "body": """MOSCOW (Newswire) - The Soviet Union announced yesterday that its athletes would not take part in the Summer Olympic Games in Los Angeles, saying that the United States could not guarantee their safety and was using the Games for political ends.

A statement by the Soviet National Olympic Committee, read on the evening television news, said that "anti-Soviet hysteria" was being whipped up in the United States and that extremist groups had threatened Soviet athletes and officials. The committee said participation was "impossible" under those conditions.

The decision, four years after the United States led a boycott of the 1980 Moscow Olympics over the Soviet intervention in Afghanistan, was widely seen in Western capitals as retaliation.

In Los Angeles, the organising committee expressed regret and said it still hoped the Soviet athletes would compete. "The door is open until the last minute," said Jim Kessler, a spokesman for the organisers. "We have given every assurance that any government could ask for, and we will keep giving them."

Kessler told reporters that security arrangements for the Games, which open on July 28, were the most extensive ever planned for a sporting event, involving thousands of police officers and federal agents.

In Washington, a State Department official, Laura Benson, said the Soviet charges were "without foundation" and that the administration regretted a decision that would hurt athletes most of all. "This is a sad day for the Olympic movement," she said.

Attention now turns to the Soviet Union's allies. Officials in East Germany, whose athletes won more medals than those of any country except the Soviet Union at the 1976 Games in Montreal, said they would study the decision. Romania's Olympic committee said it had not yet made up its mind.

Sports officials in South Korea, which is due to host the 1988 Games in Seoul, said they were worried that a cycle of boycotts could threaten the future of the Olympics.

For Soviet athletes, many of whom have trained for years with Los Angeles in mind, the decision came as a blow, though few were willing to say so publicly. Oleg Gavrilin, a 23-year-old pole vaulter from Rostov who had been among the favourites for a medal, spoke briefly to foreign journalists outside a training centre near Moscow.

"I am a sportsman. I do what my federation decides," Gavrilin said. "Of course I wanted to go. Every athlete wants to go to the Olympics."

Asked whether he hoped to compete in Seoul in four years' time, he said: "In 1988 I will be 27. It is not too late. But four years is a long time to wait.\"""",
    "date": "1984-05-09",
    "source": "Newswire",
    "url": "https://newswire.example.com/archive/1984/05/09/soviet-olympic-boycott",
    "author": "Newswire Moscow bureau",
}

# --------------------------------------------------------------------------
# corpus/jsonl/array.json: an array of two objects, in the field names of
# news-please (maintext, date_publish, source_domain, authors as a list) and
# of RSS-style dumps (content, pubDate, uid).
# --------------------------------------------------------------------------
ARRAY = []

ARRAY.append({
    "title": "Smoke from Quebec wildfires blankets Ottawa and drifts south to New York",
    "maintext": """OTTAWA - Thick smoke from hundreds of wildfires burning in Quebec and Ontario turned the sky over Ottawa an eerie orange on Wednesday, pushing air quality in the Canadian capital to among the worst levels recorded in the world and prompting officials to urge residents to stay indoors.

The smoke drifted hundreds of kilometres south across the border into the United States, where it shrouded the skyline of New York City and delayed flights at airports along the East Coast. Authorities in several American states issued health alerts.

Canada is on track for its worst wildfire season on record. More than 400 fires were burning across the country, about half of them classed as out of control, and more than 3.8 million hectares had already burned since the start of the season, roughly ten times the average for this time of year.

"We have never seen a start to the season like this one, in so many provinces at the same time," said Marc-André Gagnon, an operations director at the national wildland fire coordination centre. "Our crews have been on the line since May, and they are tired."

Gagnon said firefighters from the United States, Australia, France, South Africa and several other countries had arrived to help Canadian crews, and that more were expected in the coming days.

In the town of Chibougamau in northern Quebec, where about 7,500 residents were ordered to leave their homes, evacuee Nathalie Bergeron said she had packed her car in less than an hour.

"We took the dog, the passports and the photos. That is all. When you see the smoke coming over the lake, you do not think about the furniture," Bergeron told the Northern Tribune from an evacuation centre in Saint-Félicien. "I just want to know if my street is still there."

Health experts said the fine particles in wildfire smoke could cause serious harm, especially to children, older people and those with heart or lung disease. Dr. Priya Raman, a respirologist at an Ottawa hospital, said emergency departments had seen more patients with asthma attacks and breathing difficulties.

"Wear a well-fitted mask if you must go out, keep windows closed, and if you have a portable air cleaner, run it," Raman advised. "This is not the kind of smoke you can shrug off."

Scientists say hotter, drier conditions linked to climate change are making large wildfires more likely in Canada's boreal forests. The fires this year recall the disaster of 2016 in Fort McMurray, Alberta, where a single fire destroyed about 2,400 homes and buildings.

Forecasters said a shift in the wind could bring some relief to Ottawa and New York by the weekend, but warned that the fires themselves would burn for weeks, perhaps months, without heavy rain.""",
    "date_publish": "2023-06-08T14:30:00",
    "source_domain": "northern-tribune.example.ca",
    "url": "https://northern-tribune.example.ca/news/2023/06/08/quebec-wildfire-smoke-ottawa",
    "authors": ["Sarah Whitfield", "Daniel Roy"],
})

ARRAY.append({
    "uid": "tribune-2023-0316-japan-korea-summit",
    "headline": "Japan and South Korea agree to mend ties after years of feuding over wartime labour",
    "content": """TOKYO - The leaders of Japan and South Korea agreed on Thursday to restore regular visits between their capitals and to resume security talks that had been frozen for years, in the first formal bilateral summit in Tokyo between the two neighbours in more than a decade.

The meeting, which analysts in both countries described as a turning point, came days after Seoul announced a plan to compensate Koreans forced to work for Japanese companies during the colonial period through a domestic foundation, rather than demanding payment from the companies themselves.

Hours before the talks began, North Korea fired a long-range ballistic missile into the sea between the Korean peninsula and Japan, a reminder, officials on both sides said, of why closer cooperation was needed.

"The two governments have decided to stop letting the past hold the future hostage," Hideki Nakamura, a senior official at Japan's foreign ministry, told reporters after the summit. "Nobody pretends that the history is resolved. But we can no longer afford not to talk."

Relations between the two countries, both close allies of the United States, have been strained for decades by the legacy of Japan's rule over the Korean peninsula from 1910 to 1945. They sank to a low after South Korea's Supreme Court ordered Japanese companies in October 2018 to compensate former forced labourers, prompting Tokyo to restrict exports of chip-making chemicals to South Korea.

Under the agreements reached on Thursday, Japan will lift those export restrictions and South Korea will withdraw a complaint it filed at the World Trade Organization. The two sides also agreed to fully restore a military intelligence-sharing pact.

In Seoul, the compensation plan has been fiercely criticised by some of the surviving victims and their supporters, who say Japan has not apologised sincerely.

Kim Sun-ja, a lawyer who has represented former forced labourers for many years, said: "The victims asked for an apology and for the companies to take responsibility. They have been given neither. A deal made over their heads is not reconciliation."

Washington welcomed the summit. American officials have long pushed their two main allies in Asia to set aside their disputes to face the challenges posed by China and North Korea.

Choi Jae-hoon, a professor of international relations at a university in Seoul, said the success of the rapprochement would depend on whether Japanese companies made voluntary contributions to the foundation.

"The South Korean government has taken a big political risk. If Tokyo gives nothing back, the next government in Seoul may simply tear this up," Choi warned.

The Japanese side has said it stands by previous statements of remorse over the colonial period. Nakamura said a visit by the Japanese prime minister to Seoul was being discussed for the coming months.""",
    "pubDate": "Thu, 16 Mar 2023 21:00:00 +0900",
    "source": "The Han River Tribune",
    "link": "https://hanriver-tribune.example.kr/politics/2023/03/16/japan-korea-summit",
    "author": "Jung Min-seo",
})


def dump_line(obj):
    return json.dumps(obj, ensure_ascii=False) + "\n"


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "wire-2024.jsonl"), "w", encoding="utf-8") as f:
        for rec in WIRE:
            f.write(dump_line(rec))
    data = "".join(dump_line(rec) for rec in FEATURES).encode("utf-8")
    with open(os.path.join(OUT, "features.jsonl.gz"), "wb") as raw:
        # filename="" and mtime=0 keep the gzip header free of anything that varies
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
            gz.write(data)
    with open(os.path.join(OUT, "single.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(SINGLE, ensure_ascii=False, indent=2) + "\n")
    with open(os.path.join(OUT, "array.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(ARRAY, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
