# Four NAT gateways, all in us-east-1a:
#   good       public NAT, Elastic IP, in the public subnet             -> correct (near miss)
#   no_eip     public NAT WITHOUT allocation_id                         -> TFVPC104
#   misplaced  public NAT with an EIP but in a subnet with no IGW route -> TFVPC105
#   internal   connectivity_type = "private", no EIP, private subnet    -> correct: must not fire 104/105

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  availability_zone       = "us-east-1a"
  cidr_block              = "10.0.0.0/24"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.0.1.0/24"
}

# No route to the internet at all.
resource "aws_subnet" "isolated" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.0.2.0/24"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.good.id
  }
  # Traffic for the partner network leaves through the private NAT gateway.
  route {
    cidr_block     = "100.64.0.0/16"
    nat_gateway_id = aws_nat_gateway.internal.id
  }
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

resource "aws_route_table" "isolated" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "isolated" {
  subnet_id      = aws_subnet.isolated.id
  route_table_id = aws_route_table.isolated.id
}

resource "aws_eip" "good" {
  domain = "vpc"
}

resource "aws_eip" "misplaced" {
  domain = "vpc"
}

# Correct public NAT gateway.
resource "aws_nat_gateway" "good" {
  allocation_id = aws_eip.good.id
  subnet_id     = aws_subnet.public.id
  depends_on    = [aws_internet_gateway.main]
}

# WRONG: public NAT gateway without an Elastic IP (TFVPC104).
resource "aws_nat_gateway" "no_eip" {
  connectivity_type = "public"
  subnet_id         = aws_subnet.public.id
}

# WRONG: public NAT gateway in a subnet with no default route to the IGW (TFVPC105).
resource "aws_nat_gateway" "misplaced" {
  allocation_id = aws_eip.misplaced.id
  subnet_id     = aws_subnet.isolated.id
}

# Correct: a private NAT gateway needs neither an EIP nor a public subnet.
resource "aws_nat_gateway" "internal" {
  connectivity_type = "private"
  subnet_id         = aws_subnet.isolated.id
}

# Gateway endpoints so the private subnet does not reach S3/DynamoDB only via NAT (keeps TFVPC401 quiet).
resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.us-east-1.s3"
  route_table_ids = [aws_route_table.private.id]
}

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.us-east-1.dynamodb"
  route_table_ids = [aws_route_table.private.id]
}
