# Change: the association of the web subnet with the public table is deleted, while a data
# source reads that table (its `associations` still list the web subnet when the plan is
# made). After apply the web subnet uses the VPC's main table: local routes only.

resource "aws_vpc" "main" {
  cidr_block = "10.31.0.0/16"
  tags       = { Name = "drop-read-association" }
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "web" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.31.0.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}

# Removed: aws_route_table_association.web

data "aws_route_table" "public" {
  route_table_id = aws_route_table.public.id
}
